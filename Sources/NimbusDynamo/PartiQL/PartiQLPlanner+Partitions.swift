/// Which partitions a SELECT reads. DynamoDB's PartiQL reference (SELECT) names `pk = v`,
/// `pk = a OR pk = b` and `pk IN [a, b]` as WHERE clauses that avoid a full scan: each value is
/// read as its own Query. The operators page caps an IN at 50 partition key values; beyond that
/// DynamoDB answers "Too many decomposed read operations for a given query." (captured from
/// DynamoDB in floci's PartiQL edge-case tests).
extension PartiQLPlanner {
    static let maximumPartitions = 50
    static let tooManyPartitions = DynamoError.validation("Too many decomposed read operations for a given query.")

    /// The partition key values that the AND-ed `conjuncts` confine a read to, each once, in the
    /// order the statement names them; nil when none does (a Scan). Of several confining
    /// conjuncts the one naming fewest values is used; the whole WHERE still filters, so any
    /// choice reads every matching item.
    static func partitions(of attribute: KeyAttribute, in conjuncts: [Expression.Condition]) throws(DynamoError) -> [AttributeValue]? {
        let candidates = conjuncts.compactMap { values(of: attribute, in: $0) }.filter { !$0.isEmpty }
        guard let fewest = candidates.min(by: { $0.count < $1.count }) else { return nil }
        if fewest.count > maximumPartitions { throw tooManyPartitions }
        return fewest
    }

    /// The values `condition` allows `attribute`: `attribute = v`, `attribute IN [v, …]`, or an
    /// OR of such. Values of the wrong type, and the empty string, name no partition and are
    /// dropped (no item can hold them); nil when the condition allows other values too.
    private static func values(of attribute: KeyAttribute, in condition: Expression.Condition) -> [AttributeValue]? {
        func isKey(_ path: DocumentPath) -> Bool { path.isTopLevel && path.head == attribute.name }
        let named: [AttributeValue]
        switch condition {
        case .compare(.equal, .path(let p), .value(let v)) where isKey(p), .compare(.equal, .value(let v), .path(let p)) where isKey(p):
            named = [v]
        case .inList(.path(let p), let members) where isKey(p):
            var listed: [AttributeValue] = []
            for member in members {
                guard case .value(let v) = member else { return nil }
                listed.append(v)
            }
            named = listed
        case .or(let a, let b):
            guard let left = values(of: attribute, in: a), let right = values(of: attribute, in: b) else { return nil }
            named = left + right
        default:
            return nil
        }
        var distinct: [AttributeValue] = []
        for value in named where attribute.type.matches(value) && value != .s("") && !distinct.contains(value) {
            distinct.append(value)
        }
        return distinct
    }
}
