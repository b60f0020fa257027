internal import Crypto

extension DynamoEngine {
    /// Up to 100 statements run all or nothing: either all SELECTs naming one item each (answered
    /// from one snapshot, `Responses[i].Item`), or all writes (INSERT, UPDATE, DELETE and
    /// `EXISTS(SELECT …)` checks) committed through TransactWriteItems' machinery, cancelled with
    /// `CancellationReasons` when one fails, idempotent under a ClientRequestToken.
    func executeTransaction(_ request: RequestFields) throws(DynamoError) -> JSON {
        let entries = try request.boundedArray("TransactStatements", member: "transactStatements", maximum: Self.maximumTransactItems)
        let token = try clientRequestToken(request)
        var statements: [(StatementRequest, PartiQLParser.Parsed)] = []
        for (i, raw) in entries.enumerated() {
            let statement = try StatementRequest(try RequestFields(json: raw), member: "transactStatements.\(i + 1).member.")
            let parsed = try parse(statement)
            if Self.hasReturning(parsed.statement) {
                throw .validation("Validation failed in TransactStatements[\(i)]: RETURNING clause is not supported in ExecuteTransaction.")
            }
            statements.append((statement, parsed))
        }
        let reads = statements.filter { $0.1.statement.isRead }.count
        if reads > 0, reads < statements.count {
            throw .validation("ExecuteTransaction API does not support both read and write operations in the same request.")
        }
        var plans: [PartiQLPlanner.Plan] = []
        var targets = TransactionTargets()
        for (statement, parsed) in statements {
            let plan = try plan(statement, parsed)
            let identity: [UInt8]?
            switch plan {
            case .read(let read):
                if read.index != nil { throw .validation("Reads on indices are not supported within transactions.") }
                identity = try read.fullKey.map { key throws(DynamoError) in TransactWrite.identity(table: read.schema, key: try read.schema.storageKey(forKey: key)) }
            case .write(let write, _):
                identity = write.identity
            }
            if let identity { try targets.claim(identity) }
            plans.append(plan)
        }
        if reads > 0 { return try readTransaction(plans) }

        let writes = plans.compactMap { plan -> TransactWrite? in
            if case .write(let write, _) = plan { return write }
            return nil
        }
        let digest = token.map { _ in Array(SHA256.hash(data: JSONWriter.canonical(.array(entries)))) }
        try commitTransaction(writes, token: token, digest: digest) { error in
            CancellationReason(code: error.code.statementCode, message: error.message, item: error.item)
        }
        return .object([:])
    }

    /// Every SELECT of a read transaction, from one snapshot.
    private func readTransaction(_ plans: [PartiQLPlanner.Plan]) throws(DynamoError) -> JSON {
        let required = DynamoError.validation("Select statements within ExecuteTransaction must specify the primary key in the where clause.")
        let responses = try transaction { () throws(DynamoError) -> [JSON] in
            var responses: [JSON] = []
            for case .read(let read) in plans {
                let item = try readItem(read, required: required)
                responses.append(.object(item.map { ["Item": .raw(Self.encode($0))] } ?? [:]))
            }
            return responses
        }
        return .object(["Responses": .array(responses)])
    }

    private static func hasReturning(_ statement: PartiQLStatement) -> Bool {
        switch statement {
        case .update(let update): update.returning != nil
        case .delete(let delete): delete.returning != nil
        default: false
        }
    }
}
