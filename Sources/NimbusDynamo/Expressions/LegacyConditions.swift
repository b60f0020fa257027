/// The pre-expression API: `Expected`, `QueryFilter`/`ScanFilter`/`KeyConditions` and
/// `AttributeUpdates`, translated into the same bound expressions the expression API produces.
enum LegacyConditions {
    static let invalid = "One or more parameter values were invalid: "
    static let operators = ["EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"]

    /// `Expected` (PutItem, UpdateItem, DeleteItem).
    static func expected(_ raw: [String: JSON], conditionalOperator: String?) throws(DynamoError) -> Expression.Condition {
        var conditions: [Expression.Condition] = []
        for name in raw.keys.sorted() {
            let entry = try RequestFields(json: raw[name]!)
            let path = Expression.Operand.path(DocumentPath(name: name))
            var value: AttributeValue?
            if let raw = entry["Value"] { value = try AttributeValue(json: raw) }
            let exists = try entry.bool("Exists")
            if let comparison = try entry.string("ComparisonOperator") {
                if entry.has("Exists") {
                    throw .validation(invalid + "Exists and ComparisonOperator cannot be used together for Attribute: \(name)")
                }
                var list = try valueList(entry)
                if let value {
                    if entry.has("AttributeValueList") {
                        throw .validation(invalid + "Value and AttributeValueList cannot be used together for Attribute: \(name)")
                    }
                    list = [value]
                }
                conditions.append(try comparisonCondition(comparison, subject: path, list))
            } else {
                if entry.has("AttributeValueList") {
                    throw .validation(invalid + "AttributeValueList can only be used with a ComparisonOperator for Attribute: \(name)")
                }
                if exists ?? true {
                    guard let value else {
                        throw .validation(invalid + "Value must be provided when Exists is \(exists == nil ? "null" : "true") for Attribute: \(name)")
                    }
                    conditions.append(.compare(.equal, path, .value(value)))
                } else {
                    if value != nil { throw .validation(invalid + "Value cannot be used when Exists is false for Attribute: \(name)") }
                    conditions.append(.notExists(DocumentPath(name: name)))
                }
            }
        }
        return conditionalOperator == "OR" ? .any(conditions) : .all(conditions)
    }

    /// `QueryFilter` / `ScanFilter`: `{attr: {ComparisonOperator, AttributeValueList}}`.
    static func filter(_ raw: [String: JSON], conditionalOperator: String?) throws(DynamoError) -> Expression.Condition {
        var conditions: [Expression.Condition] = []
        for name in raw.keys.sorted() {
            let entry = try RequestFields(json: raw[name]!)
            guard let comparison = try entry.string("ComparisonOperator") else {
                throw .constraints(["Value null at '\(name).member.comparisonOperator' failed to satisfy constraint: Member must not be null"])
            }
            conditions.append(try comparisonCondition(comparison, subject: .path(DocumentPath(name: name)), try valueList(entry)))
        }
        return conditionalOperator == "OR" ? .any(conditions) : .all(conditions)
    }

    static func valueList(_ entry: RequestFields) throws(DynamoError) -> [AttributeValue] {
        var list: [AttributeValue] = []
        for element in try entry.array("AttributeValueList") ?? [] {
            list.append(try AttributeValue(json: element))
        }
        return list
    }

    static func comparisonCondition(_ comparison: String, subject: Expression.Operand, _ list: [AttributeValue]) throws(DynamoError) -> Expression.Condition {
        guard operators.contains(comparison) else {
            throw .constraints(["Value '\(comparison)' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [\(operators.joined(separator: ", "))]"])
        }
        let expectedCount: ClosedRange<Int> = switch comparison {
        case "NOT_NULL", "NULL": 0...0
        case "BETWEEN": 2...2
        case "IN": 1...Int.max
        default: 1...1
        }
        guard expectedCount.contains(list.count) else {
            throw .validation(invalid + "Invalid number of argument(s) for the \(comparison) ComparisonOperator")
        }
        let scalarOnly = ["LE", "LT", "GE", "GT", "BETWEEN", "BEGINS_WITH", "CONTAINS", "NOT_CONTAINS"]
        for value in list where scalarOnly.contains(comparison) {
            let allowed: Set<String> = comparison == "BEGINS_WITH" ? ["S", "B"] : ["S", "N", "B"]
            if !allowed.contains(value.typeName) {
                throw .validation(invalid + "ComparisonOperator \(comparison) is not valid for \(value.typeName) AttributeValue type")
            }
        }
        guard case .path(let path) = subject else { return .constant(false) }
        switch comparison {
        case "EQ": return .compare(.equal, subject, .value(list[0]))
        case "NE": return .compare(.notEqual, subject, .value(list[0]))
        case "LE": return .compare(.lessOrEqual, subject, .value(list[0]))
        case "LT": return .compare(.less, subject, .value(list[0]))
        case "GE": return .compare(.greaterOrEqual, subject, .value(list[0]))
        case "GT": return .compare(.greater, subject, .value(list[0]))
        case "NOT_NULL": return .exists(path)
        case "NULL": return .notExists(path)
        case "CONTAINS": return .contains(subject, .value(list[0]))
        case "NOT_CONTAINS": return .not(.contains(subject, .value(list[0])))
        case "BEGINS_WITH": return .beginsWith(subject, .value(list[0]))
        case "IN": return .inList(subject, list.map { .value($0) })
        default:
            if let order = AttributeValue.compare(list[0], list[1]), order > 0 {
                throw .validation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
            }
            return .between(subject, .value(list[0]), .value(list[1]))
        }
    }

    /// `AttributeUpdates` (UpdateItem): `{attr: {Action: PUT|DELETE|ADD, Value}}`.
    static func attributeUpdates(_ raw: [String: JSON], keyNames: Set<String>) throws(DynamoError) -> [Expression.UpdateAction] {
        var actions: [Expression.UpdateAction] = []
        for name in raw.keys.sorted() {
            if keyNames.contains(name) {
                throw .validation(invalid + "Cannot update attribute \(name). This attribute is part of the key")
            }
            let entry = try RequestFields(json: raw[name]!)
            let action = try entry.string("Action") ?? "PUT"
            var check = ConstraintCheck()
            check.oneOf(action, ["ADD", "PUT", "DELETE"], at: "attributeUpdates.\(name).member.action")
            try check.check()
            let value = entry.has("Value") ? try AttributeValue(json: entry["Value"]!) : nil
            let path = DocumentPath(name: name)
            switch action {
            case "PUT":
                guard let value else { throw .validation(invalid + "Only DELETE action is allowed when no attribute value is specified") }
                actions.append(.set(path, .operand(.value(value))))
            case "DELETE":
                if let value {
                    guard value.isSet else { throw .validation(invalid + "DELETE action with value is not supported for the type \(value.typeName)") }
                    actions.append(.delete(path, value))
                } else {
                    actions.append(.remove(path))
                }
            default:
                guard let value else { throw .validation(invalid + "Only DELETE action is allowed when no attribute value is specified") }
                switch value {
                case .n, .ss, .ns, .bs, .l: actions.append(.legacyAdd(path, value))
                default: throw .validation(invalid + "ADD action is not supported for the type \(value.typeName)")
                }
            }
        }
        return actions
    }
}
