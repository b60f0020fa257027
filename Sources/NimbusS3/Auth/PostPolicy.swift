import Foundation

/// The policy of a POST form upload (S3's "Creating a POST policy"): when it expires, and what the
/// form's fields may hold. Conditions are exact matches (`{"field": "v"}`, `["eq", "$field", "v"]`),
/// prefixes (`["starts-with", "$field", "p"]`, `""` allowing anything) and
/// `["content-length-range", min, max]`. Field names compare without case, values exactly.
struct PostPolicy {
    enum Condition {
        case equals(field: String, value: String)
        case startsWith(field: String, prefix: String)
        case lengthRange(ClosedRange<Int64>)
    }

    var expiration: Int64
    /// Each condition with its JSON text, which S3 quotes when it fails.
    var conditions: [(condition: Condition, text: String)]

    init(base64 text: String) throws(S3Error) {
        guard let data = Data(base64Encoded: text.trimmingXMLWhitespace()),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw Self.invalid("Invalid Policy: Invalid JSON.") }
        guard let expirationText = json["expiration"] as? String else {
            throw Self.invalid("Invalid Policy: Policy missing expiration.")
        }
        guard let expiration = HTTPDate.parseISO8601(expirationText) else {
            throw Self.invalid("Invalid Policy: Invalid 'expiration' value: '\(expirationText)'")
        }
        guard let list = json["conditions"] as? [Any] else {
            throw Self.invalid("Invalid Policy: Policy missing conditions.")
        }
        self.expiration = expiration
        conditions = try list.map { item throws(S3Error) in (try Self.condition(item), Self.text(item)) }
    }

    /// The form's values checked against every condition, and every field against the conditions:
    /// S3 refuses a field that no condition names. Returns the allowed size of the file, if limited.
    func check(_ form: PostForm, bucket: String, now: Int64) throws(S3Error) -> ClosedRange<Int64>? {
        if now > expiration { throw Self.denied("Policy expired.") }
        var named: Set<String> = []
        var sizes: ClosedRange<Int64>?
        for (condition, text) in conditions {
            switch condition {
            case .equals(let field, let value):
                named.insert(field)
                guard form.value(of: field, bucket: bucket) == value else { throw Self.failed(text) }
            case .startsWith(let field, let prefix):
                named.insert(field)
                guard let value = form.value(of: field, bucket: bucket) else { throw Self.failed(text) }
                // For Content-Type, each of a comma-separated list must start with the prefix.
                let values = field == "content-type" ? value.split(separator: ",").map(String.init) : [value]
                guard values.allSatisfy({ $0.trimmingXMLWhitespace().hasPrefix(prefix) }) else { throw Self.failed(text) }
            case .lengthRange(let range):
                sizes = range
            }
        }
        let extra = form.fields.map { $0.name.lowercased() }.filter { !named.contains($0) && !Self.unsignedFields($0) }
        if !extra.isEmpty { throw Self.denied("Extra input fields: \(extra.joined(separator: ", "))") }
        return sizes
    }

    /// Fields no condition needs to name.
    private static func unsignedFields(_ name: String) -> Bool {
        ["policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"].contains(name) || name.hasPrefix("x-ignore-")
    }

    private static func condition(_ item: Any) throws(S3Error) -> Condition {
        if let object = item as? [String: Any], object.count == 1, let (field, value) = object.first {
            guard let value = value as? String else { throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.") }
            return .equals(field: field.lowercased(), value: value)
        }
        guard let array = item as? [Any], array.count == 3, let operation = (array[0] as? String)?.lowercased() else {
            throw invalid("Invalid Policy: Invalid Condition: \(text(item))")
        }
        switch operation {
        case "eq", "starts-with":
            guard let field = array[1] as? String, field.hasPrefix("$"), let value = array[2] as? String else {
                throw invalid("Invalid Policy: Invalid \(operation == "eq" ? "Simple" : "Starts-With")-Condition: \(text(item))")
            }
            let name = String(field.dropFirst()).lowercased()
            return operation == "eq" ? .equals(field: name, value: value) : .startsWith(field: name, prefix: value)
        case "content-length-range":
            guard let low = integer(array[1]), let high = integer(array[2]), low >= 0, low <= high else {
                throw invalid("Invalid Policy: Invalid content-length-range: \(text(item))")
            }
            return .lengthRange(low...high)
        default:
            throw invalid("Invalid Policy: Invalid Condition: \(text(item))")
        }
    }

    private static func integer(_ value: Any) -> Int64? {
        if let number = value as? NSNumber { return number.int64Value }
        return (value as? String).flatMap { Int64($0) }
    }

    private static func text(_ item: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: item, options: [.withoutEscapingSlashes]) else {
            return "\(item)"
        }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: ",", with: ", ")
    }

    private static func invalid(_ message: String) -> S3Error { S3Error("InvalidPolicyDocument", message) }
    private static func denied(_ reason: String) -> S3Error { S3Error("AccessDenied", "Invalid according to Policy: \(reason)") }
    private static func failed(_ text: String) -> S3Error { denied("Policy Condition failed: \(text)") }
}

/// A POST form's fields before its file, in order. Names compare without case.
struct PostForm {
    var fields: [(name: String, value: String)]

    subscript(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name }?.value
    }

    /// What a policy condition compares: a field, or the bucket the form was posted to.
    func value(of field: String, bucket: String) -> String? {
        field == "bucket" ? bucket : self[field]
    }
}
