/// Reads one page of Query or Scan results: counts every item read against `Limit` and the 1 MB
/// page size, applies the filter and projection, and reports where to resume.
struct PageReader {
    static let pageSize = 1024 * 1024

    enum Select: String {
        case allAttributes = "ALL_ATTRIBUTES"
        case allProjected = "ALL_PROJECTED_ATTRIBUTES"
        case specific = "SPECIFIC_ATTRIBUTES"
        case count = "COUNT"
    }

    var schema: TableSchema
    var index: SecondaryIndex?
    var filter: Expression.Condition?
    var projection: Projection?
    var select: Select
    var limit: Int?
    /// (segment, total) for parallel scans.
    var segment: (Int, Int)?

    struct Page {
        var items: [Item] = []
        var count = 0
        var scannedCount = 0
        var bytesRead = 0
        var lastEvaluatedKey: Item?
    }

    func read(_ request: ItemStore.RangeRead, engine: DynamoEngine) throws(DynamoError) -> Page {
        var page = Page()
        var last: Item?
        var stoppedEarly = false
        try engine.store.read(request) { (row) throws(DynamoError) -> Bool in
            if let (segment, total) = segment {
                let partition = row.indexKey?.partition ?? row.key.partition
                if KeyEncoding.segment(of: partition, totalSegments: total) != segment { return true }
            }
            let item = try engine.decodeStored(row.item)
            page.scannedCount += 1
            page.bytesRead += row.size
            last = item
            // Through a global index only the projected attributes exist.
            let visible = (index?.isGlobal ?? false) ? index!.project(item, tableKey: schema.key) : item
            if filter.map({ ConditionEvaluator.evaluate($0, on: visible) }) ?? true {
                page.count += 1
                if select != .count { page.items.append(output(visible)) }
            }
            if let limit, page.scannedCount >= limit {
                stoppedEarly = true
                return false
            }
            if page.bytesRead >= Self.pageSize {
                stoppedEarly = true
                return false
            }
            return true
        }
        if stoppedEarly, let last {
            var key = schema.key.key(of: last)
            if let index { key.merge(index.key.key(of: last)) { a, _ in a } }
            page.lastEvaluatedKey = key
        }
        return page
    }

    private func output(_ item: Item) -> Item {
        switch select {
        case .specific: projection?.apply(to: item) ?? item
        case .allProjected: index.map { $0.project(item, tableKey: schema.key) } ?? item
        default: item
        }
    }

    func response(_ page: Page, engine: DynamoEngine, request: RequestFields, consistent: Bool) throws(DynamoError) -> JSON {
        var fields: [String: JSON] = ["Count": .int(page.count), "ScannedCount": .int(page.scannedCount)]
        if select != .count {
            fields["Items"] = .array(page.items.map { .raw(DynamoEngine.encode($0)) })
        }
        if let key = page.lastEvaluatedKey { fields["LastEvaluatedKey"] = .raw(DynamoEngine.encode(key)) }
        if let capacity = try engine.consumedCapacity(request, table: schema.name, units: DynamoEngine.readUnits(page.bytesRead, consistent: consistent)) {
            fields["ConsumedCapacity"] = capacity
        }
        return .object(fields)
    }
}

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
        let limit = try request.int("Limit")
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
