extension DynamoEngine {
    func updateItem(_ request: RequestFields) throws(DynamoError) -> JSON {
        let tableName = try request.tableName()
        guard let keyItem = try request.item("Key") else {
            throw .constraints(["Value null at 'key' failed to satisfy constraint: Member must not be null"])
        }
        let returnValues = try returnValues(request, allowed: ["NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
        let returnOldOnFailure = try returnValuesOnFailure(request)
        let schema = try schema(tableName)
        let key = try schema.storageKey(forKey: keyItem)
        try checkNotMixed(
            request, legacy: ["AttributeUpdates", "Expected", "ConditionalOperator"],
            expressions: ["UpdateExpression", "ConditionExpression"])
        var context = try expressionContext(request)
        let actions = try updateActions(request, schema: schema, &context)
        let condition = try condition(request, key: "ConditionExpression", kind: .condition, legacyKey: "Expected", &context)
        try checkExpressionParameters(request, context, expressions: ["UpdateExpression", "ConditionExpression"])

        let (old, new) = try transaction { () throws(DynamoError) -> (Item?, Item) in
            let old = try loadItem(schema, key: key)
            if let condition, !ConditionEvaluator.evaluate(condition, on: old ?? [:]) {
                throw .conditionalCheckFailed(item: returnOldOnFailure ? old : nil)
            }
            let new = try applyUpdate(actions, to: old, key: keyItem, schema: schema)
            try storeItem(schema, key: key, old: old, new: new)
            return (old, new)
        }
        var response: [String: JSON] = [:]
        let touched = Projection(actions.map(\.path))
        let attributes: Item? = switch returnValues {
        case "ALL_OLD": old
        case "ALL_NEW": new
        case "UPDATED_OLD": old.map { touched.apply(to: $0) }
        case "UPDATED_NEW": touched.apply(to: new)
        default: nil
        }
        if let attributes, !attributes.isEmpty { response["Attributes"] = .raw(Self.encode(attributes)) }
        if let capacity = try consumedCapacity(request, table: tableName, units: Self.writeUnits(AttributeValue.size(of: new))) {
            response["ConsumedCapacity"] = capacity
        }
        return .object(response)
    }

    /// The update's actions from `UpdateExpression` or legacy `AttributeUpdates`; key attributes
    /// may not be touched.
    func updateActions(_ request: RequestFields, schema: TableSchema, _ context: inout ExpressionContext) throws(DynamoError) -> [Expression.UpdateAction] {
        let keyNames = Set(schema.key.attributes.map(\.name))
        if let text = try request.string("UpdateExpression") {
            let syntax = try expressions.update(text)
            let actions = try ExpressionBinder.bindUpdate(syntax, &context)
            for action in actions where keyNames.contains(action.path.head) {
                throw .validation("One or more parameter values were invalid: Cannot update attribute \(action.path.head). This attribute is part of the key")
            }
            return actions
        }
        if let legacy = try request.object("AttributeUpdates") {
            return try LegacyConditions.attributeUpdates(legacy, keyNames: keyNames)
        }
        return []
    }

    /// Applies the actions to the existing item (or a new one holding just the key) and checks the
    /// result against the schema, the shape limits (a value set into a nested path can nest too
    /// deep) and the size limit.
    func applyUpdate(_ actions: [Expression.UpdateAction], to old: Item?, key: Item, schema: TableSchema) throws(DynamoError) -> Item {
        let base = old ?? key
        let new = try UpdateApplier.apply(actions, to: base)
        try schema.validateIndexKeys(of: new)
        try ItemShape.check(new)
        _ = try TableSchema.checkSize(new, updating: true)
        return new
    }
}
