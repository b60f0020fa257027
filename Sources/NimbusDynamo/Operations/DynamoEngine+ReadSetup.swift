/// Query/Scan parameters shared by both operations, validated once.
extension DynamoEngine {
    /// Shared Query/Scan parameters: index, Select, Limit, projection, ExclusiveStartKey.
    struct ReadSetup {
        var schema: TableSchema
        var index: SecondaryIndex?
        var select: PageReader.Select
        var limit: Int?
        var consistent: Bool
        var startKey: Item?
    }

    func readSetup(_ request: RequestFields) throws(DynamoError) -> ReadSetup {
        let tableName = try request.tableName()
        let indexName = try request.string("IndexName")
        let selectText = try request.string("Select")
        let limit = try request.integer("Limit")
        var check = ConstraintCheck()
        check.indexName(indexName, at: "indexName")
        check.oneOf(selectText, ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"], at: "select")
        check.range(limit, at: "limit", minimum: 1)
        try check.check()
        let schema = try schema(tableName)
        var index: SecondaryIndex?
        if let indexName {
            guard let found = schema.index(named: indexName) else {
                throw .validation("The table does not have the specified index: \(indexName)")
            }
            index = found
        }
        let consistent = try request.bool("ConsistentRead") ?? false
        if consistent, index?.isGlobal == true {
            throw .validation("Consistent reads are not supported on global secondary indexes")
        }
        let hasProjection = request.has("ProjectionExpression") || request.has("AttributesToGet")
        let select: PageReader.Select
        if let selectText {
            select = PageReader.Select(rawValue: selectText)!
            switch select {
            case .specific where !hasProjection:
                throw .validation("One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires AttributesToGet or ProjectionExpression")
            case .count where hasProjection:
                throw .validation("Cannot specify the AttributesToGet when choosing to get only the COUNT")
            case .allAttributes where hasProjection, .allProjected where hasProjection:
                throw .validation("Cannot specify the AttributesToGet when choosing to get \(selectText)")
            case .allProjected where index == nil:
                throw .validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
            case .allAttributes where index?.isGlobal == true && index?.projectionType != .all:
                throw .validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index \(index!.name) because its projection type is not ALL")
            default:
                break
            }
        } else {
            select = hasProjection ? .specific : (index == nil ? .allAttributes : .allProjected)
        }
        var startKey: Item?
        if let raw = request["ExclusiveStartKey"] {
            do {
                startKey = try AttributeValue.item(json: raw)
            } catch where error.code == .validation {
                throw .validation("The provided starting key is invalid: \(error.message)")
            }
        }
        return ReadSetup(schema: schema, index: index, select: select, limit: limit, consistent: consistent, startKey: startKey)
    }

    /// Decodes ExclusiveStartKey into storage positions (table key, and index key for index reads).
    func startPosition(_ setup: ReadSetup) throws(DynamoError) -> (StorageKey, StorageKey?)? {
        guard let start = setup.startKey else { return nil }
        let invalid = DynamoError.validation("The provided starting key is invalid: The provided key element does not match the schema")
        if let index = setup.index {
            var names = Set(setup.schema.key.attributes.map(\.name))
            names.formUnion(index.key.attributes.map(\.name))
            guard Set(start.keys) == names, let indexKey = setup.schema.indexKey(index, of: start) else { throw invalid }
            guard let key = try? setup.schema.storageKey(ofItem: start) else { throw invalid }
            return (key, indexKey)
        }
        guard let key = try? setup.schema.storageKey(forKey: start) else { throw invalid }
        return (key, nil)
    }
}
