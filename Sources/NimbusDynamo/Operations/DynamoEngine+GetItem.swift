extension DynamoEngine {
    func getItem(_ request: RequestFields) throws(DynamoError) -> JSON {
        let tableName = try request.tableName()
        guard let keyItem = try request.item("Key") else {
            throw .constraints(["Value null at 'key' failed to satisfy constraint: Member must not be null"])
        }
        let consistent = try request.bool("ConsistentRead") ?? false
        let schema = try schema(tableName)
        let key = try schema.storageKey(forKey: keyItem)
        try checkNotMixed(request, legacy: ["AttributesToGet"], expressions: ["ProjectionExpression"])
        var context = try expressionContext(request)
        let projection = try projection(request, &context)
        try checkExpressionParameters(request, context, expressions: ["ProjectionExpression"])

        var response: [String: JSON] = [:]
        let bytes = try sql { () throws(SQLiteError) in try store.item(table: schema.id, key: key) }
        if let bytes {
            if let projection {
                response["Item"] = .raw(Self.encode(projection.apply(to: try decodeStored(bytes))))
            } else {
                // The stored form is the wire form: no need to decode and re-encode.
                response["Item"] = .raw(bytes)
            }
        }
        if let capacity = try consumedCapacity(request, table: tableName, units: Self.readUnits(bytes?.count ?? 0, consistent: consistent)) {
            response["ConsumedCapacity"] = capacity
        }
        return .object(response)
    }
}
