/// A query's key condition reduced to what storage needs: the partition key value and an optional
/// condition on the sort key, validated against the queried key schema.
struct KeyCondition: Equatable {
    enum SortCondition: Equatable {
        case compare(Syntax.Comparator, AttributeValue)
        case between(AttributeValue, AttributeValue)
        case beginsWith(AttributeValue)
    }

    var partition: AttributeValue
    var sort: SortCondition?

    private struct Leaf {
        var attribute: String
        var condition: SortCondition
    }

    static func analyze(_ condition: Expression.Condition, key: KeySchema, legacy: Bool = false) throws(DynamoError) -> KeyCondition {
        var leaves: [Leaf] = []
        try collect(condition, into: &leaves, legacy: legacy)
        guard leaves.count <= 2 else { throw .validation("Conditions can be of length 1 or 2 only") }
        if leaves.count == 2, leaves[0].attribute == leaves[1].attribute {
            throw .validation("KeyConditionExpressions must only contain one condition per key")
        }
        guard let hashLeaf = leaves.first(where: { $0.attribute == key.hash.name }) else {
            throw .validation("Query condition missed key schema element: \(key.hash.name)")
        }
        guard case .compare(.equal, let partition) = hashLeaf.condition else {
            throw .validation("Query key condition not supported")
        }
        var sort: SortCondition?
        if let other = leaves.first(where: { $0.attribute != key.hash.name }) {
            guard let range = key.range else { throw .validation("Query key condition not supported") }
            guard other.attribute == range.name else {
                throw .validation("Query condition missed key schema element: \(range.name)")
            }
            sort = other.condition
            let values: [AttributeValue] = switch other.condition {
            case .compare(_, let v), .beginsWith(let v): [v]
            case .between(let a, let b): [a, b]
            }
            for value in values where !range.type.matches(value) {
                throw .validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
            }
            if case .beginsWith = other.condition, range.type == .n {
                throw .validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
            }
        }
        guard key.hash.type.matches(partition) else {
            throw .validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
        }
        if case .s(let s) = partition, s.isEmpty {
            throw .validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: \(key.hash.name)")
        }
        return KeyCondition(partition: partition, sort: sort)
    }

    private static func collect(_ condition: Expression.Condition, into leaves: inout [Leaf], legacy: Bool) throws(DynamoError) {
        func unsupported(_ name: String) -> DynamoError {
            legacy ? .validation("Attempted conditional constraint is not an indexable operation")
                : .validation("Invalid operator used in KeyConditionExpression: \(name)")
        }
        switch condition {
        case .and(let a, let b):
            try collect(a, into: &leaves, legacy: legacy)
            try collect(b, into: &leaves, legacy: legacy)
        case .constant(true):
            return
        case .or: throw unsupported("OR")
        case .not: throw unsupported("NOT")
        case .inList: throw unsupported("IN")
        case .exists: throw unsupported("attribute_exists")
        case .notExists: throw unsupported("attribute_not_exists")
        case .attributeType: throw unsupported("attribute_type")
        case .contains: throw unsupported("contains")
        case .constant: throw unsupported("false")
        case .compare(let comparator, let a, let b):
            if comparator == .notEqual { throw unsupported("<>") }
            switch (a, b) {
            case (.path(let p), .value(let v)):
                leaves.append(Leaf(attribute: try attribute(p), condition: .compare(comparator, v)))
            case (.value(let v), .path(let p)):
                leaves.append(Leaf(attribute: try attribute(p), condition: .compare(comparator.flipped, v)))
            case (.path, .path):
                throw .validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
            case (.size, _), (_, .size):
                throw unsupported("size")
            default:
                throw .validation("Invalid condition in KeyConditionExpression: No key attribute specified")
            }
        case .between(let subject, let low, let high):
            guard case .path(let p) = subject, case .value(let lower) = low, case .value(let upper) = high else {
                throw .validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
            }
            leaves.append(Leaf(attribute: try attribute(p), condition: .between(lower, upper)))
        case .beginsWith(let subject, let prefix):
            guard case .path(let p) = subject, case .value(let v) = prefix else {
                throw .validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
            }
            leaves.append(Leaf(attribute: try attribute(p), condition: .beginsWith(v)))
        }
    }

    private static func attribute(_ path: DocumentPath) throws(DynamoError) -> String {
        guard path.isTopLevel else { throw .validation("KeyConditionExpressions cannot have conditions on nested attributes") }
        return path.head
    }

    /// The sort-key bounds in storage encoding.
    var sortRange: ItemStore.SortRange {
        guard let sort else { return .all }
        switch sort {
        case .compare(let comparator, let v):
            let bytes = KeyEncoding.encode(v)
            switch comparator {
            case .equal: return .init(lower: bytes, lowerInclusive: true, upper: bytes, upperInclusive: true)
            case .less: return .init(upper: bytes, upperInclusive: false)
            case .lessOrEqual: return .init(upper: bytes, upperInclusive: true)
            case .greater: return .init(lower: bytes, lowerInclusive: false)
            default: return .init(lower: bytes, lowerInclusive: true)
            }
        case .between(let a, let b):
            return .init(lower: KeyEncoding.encode(a), lowerInclusive: true, upper: KeyEncoding.encode(b), upperInclusive: true)
        case .beginsWith(let prefix):
            let bytes = KeyEncoding.encode(prefix)
            return .init(lower: bytes, lowerInclusive: true, upper: KeyEncoding.prefixSuccessor(bytes), upperInclusive: false)
        }
    }
}
