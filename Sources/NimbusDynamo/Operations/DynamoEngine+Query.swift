extension DynamoEngine {
    func query(_ request: RequestFields) throws(DynamoError) -> JSON {
        let setup = try readSetup(request)
        let keySchema = setup.index?.key ?? setup.schema.key
        try checkNotMixed(
            request, legacy: ["KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator"],
            expressions: ["KeyConditionExpression", "FilterExpression", "ProjectionExpression"])
        var context = try expressionContext(request)

        let keyCondition: KeyCondition
        if let text = try request.string("KeyConditionExpression") {
            let syntax = try expressions.condition(text, kind: .keyCondition)
            let bound = try ExpressionBinder.bindCondition(syntax, kind: .keyCondition, &context)
            keyCondition = try KeyCondition.analyze(bound, key: keySchema)
        } else if let legacy = try request.object("KeyConditions") {
            let bound = try LegacyConditions.filter(legacy, conditionalOperator: nil)
            keyCondition = try KeyCondition.analyze(bound, key: keySchema, legacy: true)
        } else {
            throw .validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        }
        let filter = try condition(request, key: "FilterExpression", kind: .filter, legacyKey: "QueryFilter", &context)
        if let filter {
            let keyNames = Set(keySchema.attributes.map(\.name))
            if let used = Self.topLevelNames(filter).first(where: keyNames.contains) {
                throw .validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: \(used)")
            }
        }
        let projection = try projection(request, &context)
        try checkExpressionParameters(request, context, expressions: ["KeyConditionExpression", "FilterExpression", "ProjectionExpression"])

        var read = ItemStore.RangeRead(table: setup.schema.id)
        read.index = setup.index?.name
        read.partition = KeyEncoding.encode(keyCondition.partition)
        read.sortRange = keyCondition.sortRange
        read.forward = try request.bool("ScanIndexForward") ?? true
        if let (key, indexKey) = try startPosition(setup) {
            if (indexKey?.partition ?? key.partition) != read.partition {
                throw .validation("The provided starting key is outside query boundaries based on provided conditions")
            }
            read.afterKey = key
            read.afterIndexKey = indexKey
        }
        let reader = PageReader(
            schema: setup.schema, index: setup.index, filter: filter, projection: projection,
            select: setup.select, limit: setup.limit, segment: nil)
        let page = try reader.read(read, engine: self)
        return try reader.response(page, engine: self, request: request, consistent: setup.consistent)
    }

    /// Top-level attribute names a condition reads.
    static func topLevelNames(_ condition: Expression.Condition) -> [String] {
        func names(_ operand: Expression.Operand) -> [String] {
            switch operand {
            case .path(let p): [p.head]
            case .size(let inner): names(inner)
            case .value: []
            }
        }
        switch condition {
        case .compare(_, let a, let b), .beginsWith(let a, let b), .contains(let a, let b):
            return names(a) + names(b)
        case .between(let a, let b, let c):
            return names(a) + names(b) + names(c)
        case .inList(let a, let list):
            return names(a) + list.flatMap(names)
        case .exists(let p), .notExists(let p):
            return [p.head]
        case .attributeType(let a, _):
            return names(a)
        case .and(let a, let b), .or(let a, let b):
            return topLevelNames(a) + topLevelNames(b)
        case .not(let a):
            return topLevelNames(a)
        case .constant:
            return []
        }
    }
}
