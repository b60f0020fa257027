extension DynamoEngine {
    func putItem(_ request: RequestFields) throws(DynamoError) -> JSON {
        let tableName = try request.tableName()
        guard let item = try request.item("Item") else {
            throw .constraints(["Value null at 'item' failed to satisfy constraint: Member must not be null"])
        }
        let returnValues = try returnValues(request, allowed: ["NONE", "ALL_OLD"])
        let returnOldOnFailure = try returnValuesOnFailure(request)
        let schema = try schema(tableName)
        let key = try schema.storageKey(ofItem: item)
        try schema.validateIndexKeys(of: item)
        let size = try TableSchema.checkSize(item)

        try checkNotMixed(request, legacy: ["Expected", "ConditionalOperator"], expressions: ["ConditionExpression"])
        var context = try expressionContext(request)
        let condition = try condition(request, key: "ConditionExpression", kind: .condition, legacyKey: "Expected", &context)
        try checkExpressionParameters(request, context, expressions: ["ConditionExpression"])

        var response: [String: JSON] = [:]
        if condition == nil, returnValues == "NONE", !schema.needsPreviousItem {
            // Fast path: a blind overwrite is one statement, atomic and durable on its own.
            try storeItem(schema, key: key, old: nil, new: item, size: size)
        } else {
            let old = try transaction { () throws(DynamoError) -> Item? in
                let old = try loadItem(schema, key: key)
                if let condition, !ConditionEvaluator.evaluate(condition, on: old ?? [:]) {
                    throw .conditionalCheckFailed(item: returnOldOnFailure ? old : nil)
                }
                try storeItem(schema, key: key, old: old, new: item, size: size)
                return old
            }
            if returnValues == "ALL_OLD", let old { response["Attributes"] = .raw(Self.encode(old)) }
        }
        if let capacity = try consumedCapacity(request, table: tableName, units: Self.writeUnits(size)) {
            response["ConsumedCapacity"] = capacity
        }
        return .object(response)
    }
}
