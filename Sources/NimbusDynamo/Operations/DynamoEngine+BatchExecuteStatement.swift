extension DynamoEngine {
    static let maximumBatchStatements = 25

    /// Up to 25 statements, all reads (each naming one item by its whole key) or all writes. Each
    /// runs on its own and answers its own `Responses` entry: `TableName` and `Item`, or an `Error`
    /// with PartiQL's short `Code`. Only request-level problems fail the whole call.
    func batchExecuteStatement(_ request: RequestFields) throws(DynamoError) -> JSON {
        let entries = try request.boundedArray("Statements", member: "statements", maximum: Self.maximumBatchStatements)
        var statements: [StatementRequest] = []
        for (i, raw) in entries.enumerated() {
            statements.append(try StatementRequest(try RequestFields(json: raw), member: "statements.\(i + 1).member."))
        }
        // Statements that don't parse or plan fail on their own; the rest decide read or write.
        let plans = statements.map { statement in
            Result { () throws(DynamoError) -> PartiQLPlanner.Plan in
                let parsed = try parse(statement)
                if case .exists = parsed.statement {
                    throw .validation("EXISTS can only be used in ExecuteTransaction write requests.")
                }
                return try plan(statement, parsed)
            }
        }
        var reads = 0, writes = 0
        var targets = Set<[UInt8]>()
        for case .success(let plan) in plans {
            switch plan {
            case .read(let read):
                reads += 1
                if let key = read.fullKey, let storage = try? read.schema.storageKey(forKey: key) {
                    guard targets.insert(TransactWrite.identity(table: read.schema, key: storage)).inserted else { throw .validation("Provided list of item keys contains duplicates") }
                }
            case .write(let write, _):
                writes += 1
                guard targets.insert(write.identity).inserted else { throw .validation("Provided list of item keys contains duplicates") }
            }
        }
        if reads > 0, writes > 0 { throw .validation("Read and write requests together in the same batch is not supported.") }

        var responses: [JSON] = []
        var units: [String: Double] = [:]
        for plan in plans {
            do throws(DynamoError) {
                switch try plan.get() {
                case .read(let read):
                    let item = try readItem(read, required: PartiQLPlanner.incompleteKey)
                    var entry: [String: JSON] = ["TableName": .string(read.schema.name)]
                    if let item { entry["Item"] = .raw(Self.encode(item)) }
                    responses.append(.object(entry))
                    units[read.schema.name, default: 0] += Self.readUnits(item.map { AttributeValue.size(of: $0) } ?? 0, consistent: true)
                case .write(let write, let returning):
                    let (old, new) = try run(write)
                    var entry: [String: JSON] = ["TableName": .string(write.schema.name)]
                    if let item = Self.returned(returning, write: write, old: old, new: new) { entry["Item"] = .raw(Self.encode(item)) }
                    responses.append(.object(entry))
                    units[write.schema.name, default: 0] += Self.writeUnits(new.map { AttributeValue.size(of: $0) } ?? 0)
                }
            } catch {
                var failure: [String: JSON] = ["Code": .string(error.code.statementCode), "Message": .string(error.message)]
                if let item = error.item { failure["Item"] = .raw(Self.encode(item)) }
                responses.append(.object(["Error": .object(failure)]))
            }
        }
        var response: [String: JSON] = ["Responses": .array(responses)]
        var capacities: [JSON] = []
        for (table, total) in units.sorted(by: { $0.key < $1.key }) {
            if let capacity = try consumedCapacity(request, table: table, units: total) { capacities.append(capacity) }
        }
        if !capacities.isEmpty { response["ConsumedCapacity"] = .array(capacities) }
        return .object(response)
    }
}
