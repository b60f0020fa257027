/// Typed access to a request's (or a nested structure's) members, failing the way DynamoDB's
/// deserializer does: wrong JSON kinds are SerializationExceptions, JSON nulls count as absent.
struct RequestFields {
    let fields: [String: JSON]

    init(_ fields: [String: JSON]) {
        self.fields = fields
    }

    init(json: JSON) throws(DynamoError) {
        guard case .object(let fields) = json else {
            throw AttributeValue.conversionError(json, expected: "Structure")
        }
        self.fields = fields
    }

    subscript(key: String) -> JSON? {
        guard let value = fields[key] else { return nil }
        if case .null = value { return nil }
        return value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    func string(_ key: String) throws(DynamoError) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let s) = value else { throw AttributeValue.conversionError(value, expected: "String") }
        return s
    }

    func bool(_ key: String) throws(DynamoError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let b) = value else { throw AttributeValue.conversionError(value, expected: "Boolean") }
        return b
    }

    func int(_ key: String) throws(DynamoError) -> Int? {
        guard let value = self[key] else { return nil }
        guard case .number(let text) = value else { throw AttributeValue.conversionError(value, expected: "Integer") }
        if let i = Int(text) { return i }
        if let d = Double(text), d.isFinite, abs(d) < 9e18 { return Int(d) }
        throw Self.notAnInteger
    }

    private static let notAnInteger = DynamoError.serialization("NUMBER_VALUE cannot be converted to Integer")

    /// A member the API declares `Integer` (Java's 32 bits: Limit, Segment, TotalSegments), where
    /// `int` serves the `Long` ones. A number past 2^31 - 1 gets the deserializer's answer for a
    /// number that is no Integer. No source records DynamoDB's reply to such a Limit; this is the
    /// closest documented behaviour (the API types the member Integer) and keeps one answer for
    /// every number out of range.
    func integer(_ key: String) throws(DynamoError) -> Int? {
        guard let value = try int(key) else { return nil }
        guard let narrow = Int32(exactly: value) else { throw Self.notAnInteger }
        return Int(narrow)
    }

    func object(_ key: String) throws(DynamoError) -> [String: JSON]? {
        guard let value = self[key] else { return nil }
        guard case .object(let o) = value else { throw AttributeValue.conversionError(value, expected: "Structure") }
        return o
    }

    func structure(_ key: String) throws(DynamoError) -> RequestFields? {
        try object(key).map(RequestFields.init)
    }

    func array(_ key: String) throws(DynamoError) -> [JSON]? {
        guard let value = self[key] else { return nil }
        guard case .array(let a) = value else { throw AttributeValue.conversionError(value, expected: "List") }
        return a
    }

    /// A required list of 1 to `maximum` members; `member` names it in constraint messages.
    func boundedArray(_ key: String, member: String, maximum: Int) throws(DynamoError) -> [JSON] {
        guard let entries = try array(key) else {
            throw .constraints(["Value null at '\(member)' failed to satisfy constraint: Member must not be null"])
        }
        if entries.isEmpty {
            throw .constraints(["Value '[]' at '\(member)' failed to satisfy constraint: Member must have length greater than or equal to 1"])
        }
        if entries.count > maximum {
            throw .constraints(["Value at '\(member)' failed to satisfy constraint: Member must have length less than or equal to \(maximum)"])
        }
        return entries
    }

    func stringArray(_ key: String) throws(DynamoError) -> [String]? {
        guard let elements = try array(key) else { return nil }
        var out: [String] = []
        for element in elements {
            guard case .string(let s) = element else { throw AttributeValue.conversionError(element, expected: "String") }
            out.append(s)
        }
        return out
    }

    func stringMap(_ key: String) throws(DynamoError) -> [String: String]? {
        guard let members = try object(key) else { return nil }
        var out: [String: String] = [:]
        for (name, value) in members {
            guard case .string(let s) = value else { throw AttributeValue.conversionError(value, expected: "String") }
            out[name] = s
        }
        return out
    }

    func item(_ key: String) throws(DynamoError) -> Item? {
        guard let value = self[key] else { return nil }
        return try AttributeValue.item(json: value)
    }

    /// `ExpressionAttributeNames`, checked the way DynamoDB checks it.
    func expressionNames() throws(DynamoError) -> [String: String]? {
        guard let names = try stringMap("ExpressionAttributeNames") else { return nil }
        if names.isEmpty { throw .validation("ExpressionAttributeNames must not be empty") }
        for (key, name) in names.sorted(by: { $0.key < $1.key }) {
            if key.utf8.count > Self.maximumPlaceholderBytes {
                throw .validation("ExpressionAttributeNames contains invalid key: \(Self.placeholderTooLong); size of key: \(key.utf8.count)")
            }
            guard Self.isPlaceholder(key, prefix: UInt8(ascii: "#")) else {
                throw .validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"\(key)\"")
            }
            // An empty name gets its own wording; a name over the limit gets the item's.
            if name.isEmpty { throw .validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key \(key)") }
            try ItemShape.checkName(name)
        }
        return names
    }

    /// `ExpressionAttributeValues`; value errors are prefixed as DynamoDB prefixes them.
    func expressionValues() throws(DynamoError) -> [String: AttributeValue]? {
        guard let members = try object("ExpressionAttributeValues") else { return nil }
        if members.isEmpty { throw .validation("ExpressionAttributeValues must not be empty") }
        var out: [String: AttributeValue] = [:]
        for key in members.keys.sorted() {
            if key.utf8.count > Self.maximumPlaceholderBytes {
                // DynamoDB leaves the size out here, and keeps the semicolon.
                throw .validation("ExpressionAttributeValues contains invalid key: \(Self.placeholderTooLong);")
            }
            guard Self.isPlaceholder(key, prefix: UInt8(ascii: ":")) else {
                throw .validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"\(key)\"")
            }
            do {
                out[key] = try AttributeValue(json: members[key]!)
            } catch where error.code == .validation && !ItemShape.nameErrors.contains(error) {
                // A bad map key inside a value is reported bare, as in an item (ExtendDB issue #365).
                throw .validation("ExpressionAttributeValues contains invalid value: \(error.message) for key \(key)")
            }
        }
        return out
    }

    /// The longest `#name` or `:value` key, prefix included; checked before its syntax (ExtendDB
    /// pull request #181 records DynamoDB's messages).
    static let maximumPlaceholderBytes = 255
    private static let placeholderTooLong = "The expression attribute map contains a key that is too long"

    private static func isPlaceholder(_ key: String, prefix: UInt8) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count > 1, bytes[0] == prefix else { return false }
        return bytes.dropFirst().allSatisfy(ExpressionLexer.isIdentifierPart)
    }
}
