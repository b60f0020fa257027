extension DynamoEngine {
    func deleteItem(_ request: RequestFields) throws(DynamoError) -> JSON {
        let tableName = try request.tableName()
        guard let keyItem = try request.item("Key") else {
            throw .constraints(["Value null at 'key' failed to satisfy constraint: Member must not be null"])
        }
        let returnValues = try returnValues(request, allowed: ["NONE", "ALL_OLD"])
        let returnOldOnFailure = try returnValuesOnFailure(request)
        let schema = try schema(tableName)
        let key = try schema.storageKey(forKey: keyItem)
        try checkNotMixed(request, legacy: ["Expected", "ConditionalOperator"], expressions: ["ConditionExpression"])
        var context = try expressionContext(request)
        let condition = try condition(request, key: "ConditionExpression", kind: .condition, legacyKey: "Expected", &context)
        try checkExpressionParameters(request, context, expressions: ["ConditionExpression"])

        let old = try transaction { () throws(DynamoError) -> Item? in
            let old = try loadItem(schema, key: key)
            if let condition, !ConditionEvaluator.evaluate(condition, on: old ?? [:]) {
                throw .conditionalCheckFailed(item: returnOldOnFailure ? old : nil)
            }
            if old != nil { try storeItem(schema, key: key, old: old, new: nil) }
            return old
        }
        var response: [String: JSON] = [:]
        if returnValues == "ALL_OLD", let old { response["Attributes"] = .raw(Self.encode(old)) }
        let size = old.map { AttributeValue.size(of: $0) } ?? 0
        if let capacity = try consumedCapacity(request, table: tableName, units: Self.writeUnits(size)) {
            response["ConsumedCapacity"] = capacity
        }
        return .object(response)
    }
}
