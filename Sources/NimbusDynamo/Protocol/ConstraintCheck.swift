/// Collects the member-constraint violations DynamoDB reports together as
/// "N validation errors detected: Value … at '…' failed to satisfy constraint: …; …".
struct ConstraintCheck {
    private(set) var violations: [String] = []

    static let tableNamePattern = "[a-zA-Z0-9_.-]+"

    mutating func fail(_ value: String?, at member: String, _ constraint: String) {
        let shown = value.map { "'\($0)'" } ?? "null"
        violations.append("Value \(shown) at '\(member)' failed to satisfy constraint: \(constraint)")
    }

    mutating func required(_ value: Any?, at member: String) {
        if value == nil { fail(nil, at: member, "Member must not be null") }
    }

    mutating func tableName(_ name: String?, at member: String = "tableName") {
        guard let name else {
            fail(nil, at: member, "Member must not be null")
            return
        }
        checkName(name, at: member, maximum: 255)
    }

    mutating func indexName(_ name: String?, at member: String) {
        guard let name else { return }
        checkName(name, at: member, maximum: 255)
    }

    private mutating func checkName(_ name: String, at member: String, maximum: Int) {
        let count = name.utf8.count
        if !name.utf8.allSatisfy({ ExpressionLexer.isIdentifierPart($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) || count == 0 {
            fail(name, at: member, "Member must satisfy regular expression pattern: \(Self.tableNamePattern)")
        }
        if count < 3 { fail(name, at: member, "Member must have length greater than or equal to 3") }
        if count > maximum { fail(name, at: member, "Member must have length less than or equal to \(maximum)") }
    }

    /// A string member's length bounds, counted in UTF-8 bytes.
    mutating func length(_ value: String?, at member: String, minimum: Int, maximum: Int) {
        guard let value else { return }
        let count = value.utf8.count
        if count < minimum { fail(value, at: member, "Member must have length greater than or equal to \(minimum)") }
        if count > maximum { fail(value, at: member, "Member must have length less than or equal to \(maximum)") }
    }

    mutating func oneOf(_ value: String?, _ allowed: [String], at member: String) {
        guard let value, !allowed.contains(value) else { return }
        fail(value, at: member, "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
    }

    mutating func range(_ value: Int?, at member: String, minimum: Int? = nil, maximum: Int? = nil) {
        guard let value else { return }
        if let minimum, value < minimum {
            fail(String(value), at: member, "Member must have value greater than or equal to \(minimum)")
        }
        if let maximum, value > maximum {
            fail(String(value), at: member, "Member must have value less than or equal to \(maximum)")
        }
    }

    func check() throws(DynamoError) {
        if !violations.isEmpty { throw .constraints(violations) }
    }
}

extension RequestFields {
    /// The request's table name (a table ARN is accepted too), validated.
    func tableName(_ key: String = "TableName") throws(DynamoError) -> String {
        var name = try string(key)
        if let arn = name, arn.hasPrefix("arn:"), let range = arn.range(of: ":table/") {
            name = String(arn[range.upperBound...])
        }
        var check = ConstraintCheck()
        check.tableName(name, at: key.prefix(1).lowercased() + key.dropFirst())
        try check.check()
        return name!
    }
}
