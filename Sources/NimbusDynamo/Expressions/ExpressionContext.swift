/// A request's `ExpressionAttributeNames` and `ExpressionAttributeValues`, and which of them the
/// request's expressions used (DynamoDB rejects unused ones).
struct ExpressionContext {
    var names: [String: String]
    var values: [String: AttributeValue]
    private(set) var usedNames: Set<String> = []
    private(set) var usedValues: Set<String> = []
    /// Whether any expression parameter was given (names/values are only allowed with expressions).
    var hasNames: Bool
    var hasValues: Bool

    init(names: [String: String]? = nil, values: [String: AttributeValue]? = nil) {
        self.names = names ?? [:]
        self.values = values ?? [:]
        self.hasNames = names != nil
        self.hasValues = values != nil
    }

    mutating func name(_ placeholder: String) -> String? {
        guard let name = names[placeholder] else { return nil }
        usedNames.insert(placeholder)
        return name
    }

    mutating func value(_ placeholder: String) -> AttributeValue? {
        guard let value = values[placeholder] else { return nil }
        usedValues.insert(placeholder)
        return value
    }

    /// "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"
    func checkAllUsed() throws(DynamoError) {
        let unusedNames = names.keys.filter { !usedNames.contains($0) }.sorted()
        if !unusedNames.isEmpty {
            throw .validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {\(unusedNames.joined(separator: ", "))}")
        }
        let unusedValues = values.keys.filter { !usedValues.contains($0) }.sorted()
        if !unusedValues.isEmpty {
            throw .validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {\(unusedValues.joined(separator: ", "))}")
        }
    }
}
