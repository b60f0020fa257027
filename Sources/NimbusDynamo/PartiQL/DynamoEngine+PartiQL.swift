/// What ExecuteStatement, BatchExecuteStatement and ExecuteTransaction share: reading a statement
/// and its parameters from a request, planning it, and running a planned read or write.
extension DynamoEngine {
    static let maximumStatementLength = 8192

    /// One statement of a request: its text, parameters and options.
    struct StatementRequest {
        var text: String
        var parameters: [AttributeValue]
        var rawParameters: JSON?
        var consistentRead: Bool
        var returnOldOnFailure: Bool

        /// Reads `Statement` and `Parameters` (and the per-statement options) from `fields`;
        /// `member` prefixes constraint messages (`statements.1.member.`).
        init(_ fields: RequestFields, member: String = "") throws(DynamoError) {
            guard let text = try fields.string("Statement") else {
                throw .constraints(["Value null at '\(member)statement' failed to satisfy constraint: Member must not be null"])
            }
            var check = ConstraintCheck()
            if text.isEmpty {
                check.fail(text, at: "\(member)statement", "Member must have length greater than or equal to 1")
            } else if text.utf8.count > DynamoEngine.maximumStatementLength {
                check.fail(text, at: "\(member)statement", "Member must have length less than or equal to \(DynamoEngine.maximumStatementLength)")
            }
            var parameters: [AttributeValue] = []
            if let raw = try fields.array("Parameters") {
                if raw.isEmpty { check.fail("[]", at: "\(member)parameters", "Member must have length greater than or equal to 1") }
                for value in raw { parameters.append(try AttributeValue(json: value)) }
            }
            let returnValues = try fields.string("ReturnValuesOnConditionCheckFailure")
            check.oneOf(returnValues, ["ALL_OLD", "NONE"], at: "\(member)returnValuesOnConditionCheckFailure")
            try check.check()
            self.text = text
            self.parameters = parameters
            self.rawParameters = fields["Parameters"]
            self.consistentRead = try fields.bool("ConsistentRead") ?? false
            self.returnOldOnFailure = returnValues == "ALL_OLD"
        }

        var digest: PartiQLNextToken.Digest { PartiQLNextToken.Digest(statement: text, parameters: rawParameters) }
    }

    func parse(_ statement: StatementRequest) throws(DynamoError) -> PartiQLParser.Parsed {
        try expressions.statement(statement.text)
    }

    func plan(_ statement: StatementRequest, _ parsed: PartiQLParser.Parsed) throws(DynamoError) -> PartiQLPlanner.Plan {
        try PartiQLPlanner.plan(parsed, parameters: statement.parameters, returnOldOnFailure: statement.returnOldOnFailure) {
            (name) throws(DynamoError) in try schema(name)
        }
    }

    /// One page of a SELECT, from where `nextToken` left off. A read of several partitions runs
    /// their Queries in turn within the one page; the NextToken's key names the partition to
    /// resume in, so the token format does not change.
    func readPage(
        _ read: PartiQLPlanner.Read, limit: Int?, consistent: Bool, nextToken: String?, digest: PartiQLNextToken.Digest
    ) throws(DynamoError) -> PageReader.Page {
        if consistent, read.index?.isGlobal == true {
            throw .validation("Strongly consistent read is not supported on Global Secondary Indexes")
        }
        var scan = ItemStore.RangeRead(table: read.schema.id)
        scan.index = read.index?.name
        scan.forward = read.forward
        var ranges = read.keyConditions.map { condition in
            var query = scan
            query.partition = KeyEncoding.encode(condition.partition)
            query.sortRange = condition.sortRange
            return query
        }
        if ranges.isEmpty { ranges = [scan] }
        if let nextToken {
            let start = try PartiQLNextToken.decode(nextToken, request: digest)
            let setup = ReadSetup(schema: read.schema, index: read.index, select: .allAttributes, limit: limit, consistent: consistent, startKey: start)
            if let (key, indexKey) = try startPosition(setup) {
                if read.isQuery {
                    let stoppedIn = (indexKey ?? key).partition
                    guard let resume = ranges.firstIndex(where: { $0.partition == stoppedIn }) else {
                        throw .validation("Invalid NextToken")
                    }
                    ranges.removeFirst(resume)
                }
                ranges[0].afterKey = key
                ranges[0].afterIndexKey = indexKey
            }
        }
        let reader = PageReader(
            schema: read.schema, index: read.index, filter: read.filter, projection: nil, select: .allAttributes, limit: limit,
            segment: nil)
        return try reader.read(ranges, engine: self)
    }

    /// A SELECT that names one item by its whole primary key, as batches and transactions require:
    /// the item if it exists and satisfies the WHERE.
    func readItem(_ read: PartiQLPlanner.Read, required: DynamoError) throws(DynamoError) -> Item? {
        guard let keyItem = read.fullKey else { throw required }
        guard let item = try loadItem(read.schema, key: try read.schema.storageKey(forKey: keyItem)) else { return nil }
        if let filter = read.filter, !ConditionEvaluator.evaluate(filter, on: item) { return nil }
        return PartiQLOutput.project(item, read.projection)
    }

    /// What a write's RETURNING clause gives back.
    static func returned(_ returning: PartiQLStatement.Returning?, write: TransactWrite, old: Item?, new: Item?) -> Item? {
        guard let returning else { return nil }
        guard case .update(let actions) = write.kind else { return old }
        let touched = Projection(actions.map(\.path))
        return switch returning {
        case .allOld: old
        case .allNew: new
        case .modifiedOld: old.map { touched.apply(to: $0) }
        case .modifiedNew: new.map { touched.apply(to: $0) }
        }
    }
}
