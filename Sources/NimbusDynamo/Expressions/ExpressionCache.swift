/// Parse trees by expression (or PartiQL statement) text. Applications repeat the same few expressions with different
/// values, so parsing once pays off; the cache is simply emptied when it grows past its bound.
/// Not thread-safe: owned by the engine, which runs serially.
final class ExpressionCache {
    private struct Key: Hashable {
        var kind: ExpressionKind
        var text: String
    }

    private let capacity: Int
    private var conditions: [Key: Syntax.Condition] = [:]
    private var updates: [String: Syntax.Update] = [:]
    private var projections: [String: [Syntax.Path]] = [:]
    private var statements: [String: PartiQLParser.Parsed] = [:]

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func condition(_ text: String, kind: ExpressionKind) throws(DynamoError) -> Syntax.Condition {
        try cached(&conditions, Key(kind: kind, text: text)) { () throws(DynamoError) in try ExpressionParser.parseCondition(text, kind: kind) }
    }

    func update(_ text: String) throws(DynamoError) -> Syntax.Update {
        try cached(&updates, text) { () throws(DynamoError) in try ExpressionParser.parseUpdate(text) }
    }

    func projection(_ text: String) throws(DynamoError) -> [Syntax.Path] {
        try cached(&projections, text) { () throws(DynamoError) in try ExpressionParser.parseProjection(text) }
    }

    /// A PartiQL statement, parameters unbound.
    func statement(_ text: String) throws(DynamoError) -> PartiQLParser.Parsed {
        try cached(&statements, text) { () throws(DynamoError) in try PartiQLParser.parse(text) }
    }

    private func cached<Key: Hashable, Value>(
        _ cache: inout [Key: Value], _ key: Key, parse: () throws(DynamoError) -> Value
    ) throws(DynamoError) -> Value {
        if let hit = cache[key] { return hit }
        let parsed = try parse()
        if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
        cache[key] = parsed
        return parsed
    }
}
