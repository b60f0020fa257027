extension DynamoEngine {
    /// One PartiQL statement: a SELECT answers a page of `Items` (with `NextToken` and
    /// `LastEvaluatedKey` when more follows); a write answers `Items` (empty, or what RETURNING asks for).
    func executeStatement(_ request: RequestFields) throws(DynamoError) -> JSON {
        let statement = try StatementRequest(request)
        let limit = try request.integer("Limit")
        var check = ConstraintCheck()
        check.range(limit, at: "limit", minimum: 1)
        try check.check()
        let nextToken = try request.string("NextToken")
        let parsed = try parse(statement)
        if case .exists = parsed.statement {
            throw .validation("EXISTS can only be used in ExecuteTransaction write requests.")
        }
        var response: [String: JSON] = [:]
        let table: String
        let units: Double
        switch try plan(statement, parsed) {
        case .read(let read):
            let page = try readPage(
                read, limit: limit, consistent: statement.consistentRead, nextToken: nextToken, digest: statement.digest)
            response["Items"] = .array(page.items.map { .raw(Self.encode(PartiQLOutput.project($0, read.projection))) })
            if let last = page.lastEvaluatedKey {
                response["NextToken"] = .string(PartiQLNextToken.encode(key: last, request: statement.digest))
                response["LastEvaluatedKey"] = .raw(Self.encode(last))
            }
            table = read.schema.name
            units = Self.readUnits(page.bytesRead, consistent: statement.consistentRead)
        case .write(let write, let returning):
            let (old, new) = try run(write)
            let returned = Self.returned(returning, write: write, old: old, new: new)
            response["Items"] = .array(returned.map { [.raw(Self.encode($0))] } ?? [])
            table = write.schema.name
            units = Self.writeUnits(max(old.map { AttributeValue.size(of: $0) } ?? 0, new.map { AttributeValue.size(of: $0) } ?? 0))
        }
        if let capacity = try consumedCapacity(request, table: table, units: units) {
            response["ConsumedCapacity"] = capacity
        }
        return .object(response)
    }
}
