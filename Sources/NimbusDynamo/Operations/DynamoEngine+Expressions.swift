/// Request-level expression handling shared by the item operations: parsing (cached), binding,
/// legacy parameters, and the checks on ExpressionAttributeNames/Values.
extension DynamoEngine {
    func expressionContext(_ request: RequestFields) throws(DynamoError) -> ExpressionContext {
        ExpressionContext(names: try request.expressionNames(), values: try request.expressionValues())
    }

    /// Rejects mixing expression and legacy parameters, as DynamoDB does.
    func checkNotMixed(_ request: RequestFields, legacy: [String], expressions: [String]) throws(DynamoError) {
        // Runs on every item request, nearly always with neither kind present: look before listing.
        guard legacy.contains(where: request.has), expressions.contains(where: request.has) else { return }
        let legacyUsed = legacy.filter(request.has)
        let expressionUsed = expressions.filter(request.has)
        guard !legacyUsed.isEmpty, !expressionUsed.isEmpty else { return }
        throw .validation(
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {\(legacyUsed.joined(separator: ", "))} Expression parameters: {\(expressionUsed.joined(separator: ", "))}")
    }

    /// Names and values are only allowed alongside expressions, and every one must be used.
    func checkExpressionParameters(_ request: RequestFields, _ context: ExpressionContext, expressions: [String]) throws(DynamoError) {
        if !expressions.contains(where: request.has) {
            if context.hasNames { throw .validation("ExpressionAttributeNames can only be specified when using expressions") }
            if context.hasValues {
                let subject: String
                switch expressions.count {
                case 1: subject = "\(expressions[0]) is null"
                case 2: subject = "\(expressions[0]) and \(expressions[1]) are null"
                default: subject = expressions.dropLast().joined(separator: ", ") + " and \(expressions.last!) are null"
                }
                throw .validation("ExpressionAttributeValues can only be specified when using expressions: \(subject)")
            }
        }
        try context.checkAllUsed()
    }

    /// A condition from `key` (ConditionExpression or FilterExpression) or its legacy counterpart.
    func condition(
        _ request: RequestFields, key: String, kind: ExpressionKind, legacyKey: String?, _ context: inout ExpressionContext
    ) throws(DynamoError) -> Expression.Condition? {
        if let text = try request.string(key) {
            let syntax = try expressions.condition(text, kind: kind)
            return try ExpressionBinder.bindCondition(syntax, kind: kind, &context)
        }
        guard let legacyKey, let legacy = try request.object(legacyKey) else { return nil }
        let conditionalOperator = try request.string("ConditionalOperator")
        var check = ConstraintCheck()
        check.oneOf(conditionalOperator, ["AND", "OR"], at: "conditionalOperator")
        try check.check()
        if legacyKey == "Expected" {
            return try LegacyConditions.expected(legacy, conditionalOperator: conditionalOperator)
        }
        return try LegacyConditions.filter(legacy, conditionalOperator: conditionalOperator)
    }

    /// `ProjectionExpression` or legacy `AttributesToGet`.
    func projection(_ request: RequestFields, _ context: inout ExpressionContext) throws(DynamoError) -> Projection? {
        if let text = try request.string("ProjectionExpression") {
            let syntax = try expressions.projection(text)
            return Projection(try ExpressionBinder.bindProjection(syntax, &context))
        }
        if let names = try request.stringArray("AttributesToGet") {
            if names.isEmpty {
                throw .constraints(["Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1"])
            }
            for name in names { try ItemShape.checkName(name) }
            if Set(names).count != names.count {
                throw .validation("One or more parameter values were invalid: Duplicate value in attribute name: \(names.first { n in names.filter { $0 == n }.count > 1 } ?? "")")
            }
            return Projection(names.map { DocumentPath(name: $0) })
        }
        return nil
    }

    /// Validates `ReturnValues` against what an operation supports.
    func returnValues(_ request: RequestFields, allowed: Set<String>) throws(DynamoError) -> String {
        let value = try request.string("ReturnValues")
        var check = ConstraintCheck()
        check.oneOf(value, ["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"], at: "returnValues")
        try check.check()
        guard let value else { return "NONE" }
        guard allowed.contains(value) else { throw .validation("Return values set to invalid value") }
        return value
    }

    func returnValuesOnFailure(_ request: RequestFields) throws(DynamoError) -> Bool {
        let value = try request.string("ReturnValuesOnConditionCheckFailure")
        var check = ConstraintCheck()
        check.oneOf(value, ["ALL_OLD", "NONE"], at: "returnValuesOnConditionCheckFailure")
        try check.check()
        return value == "ALL_OLD"
    }
}
