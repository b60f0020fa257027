extension DynamoEngine {
    func scan(_ request: RequestFields) throws(DynamoError) -> JSON {
        let setup = try readSetup(request)
        let segment = try request.integer("Segment")
        let totalSegments = try request.integer("TotalSegments")
        var check = ConstraintCheck()
        check.range(segment, at: "segment", minimum: 0, maximum: 999_999)
        check.range(totalSegments, at: "totalSegments", minimum: 1, maximum: 1_000_000)
        try check.check()
        var segmentation: (Int, Int)?
        switch (segment, totalSegments) {
        case (nil, nil): break
        case (.some, nil):
            throw .validation("The TotalSegments parameter is required but was not present in the request when parameter Segment is present")
        case (nil, .some):
            throw .validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
        case (let s?, let t?):
            guard s < t else {
                throw .validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: \(s) is not less than TotalSegments: \(t)")
            }
            segmentation = (s, t)
        }
        try checkNotMixed(
            request, legacy: ["ScanFilter", "AttributesToGet", "ConditionalOperator"],
            expressions: ["FilterExpression", "ProjectionExpression"])
        var context = try expressionContext(request)
        let filter = try condition(request, key: "FilterExpression", kind: .filter, legacyKey: "ScanFilter", &context)
        let projection = try projection(request, &context)
        try checkExpressionParameters(request, context, expressions: ["FilterExpression", "ProjectionExpression"])

        var read = ItemStore.RangeRead(table: setup.schema.id)
        read.index = setup.index?.name
        if let (key, indexKey) = try startPosition(setup) {
            read.afterKey = key
            read.afterIndexKey = indexKey
        }
        let reader = PageReader(
            schema: setup.schema, index: setup.index, filter: filter, projection: projection,
            select: setup.select, limit: setup.limit, segment: segmentation)
        let page = try reader.read(read, engine: self)
        return try reader.response(page, engine: self, request: request, consistent: setup.consistent)
    }
}
