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
        let key = Key(kind: kind, text: text)
        if let cached = conditions[key] { return cached }
        let parsed = try ExpressionParser.parseCondition(text, kind: kind)
        if conditions.count >= capacity { conditions.removeAll(keepingCapacity: true) }
        conditions[key] = parsed
        return parsed
    }

    func update(_ text: String) throws(DynamoError) -> Syntax.Update {
        if let cached = updates[text] { return cached }
        let parsed = try ExpressionParser.parseUpdate(text)
        if updates.count >= capacity { updates.removeAll(keepingCapacity: true) }
        updates[text] = parsed
        return parsed
    }

    func projection(_ text: String) throws(DynamoError) -> [Syntax.Path] {
        if let cached = projections[text] { return cached }
        let parsed = try ExpressionParser.parseProjection(text)
        if projections.count >= capacity { projections.removeAll(keepingCapacity: true) }
        projections[text] = parsed
        return parsed
    }

    /// A PartiQL statement, parameters unbound.
    func statement(_ text: String) throws(DynamoError) -> PartiQLParser.Parsed {
        if let cached = statements[text] { return cached }
        let parsed = try PartiQLParser.parse(text)
        if statements.count >= capacity { statements.removeAll(keepingCapacity: true) }
        statements[text] = parsed
        return parsed
    }
}
