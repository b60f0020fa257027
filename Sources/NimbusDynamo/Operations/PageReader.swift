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
        try read([request], engine: engine)
    }

    /// Reads `requests` one after another (a PartiQL IN reads several partitions) as one page:
    /// Limit and the page size count across them all.
    func read(_ requests: [ItemStore.RangeRead], engine: DynamoEngine) throws(DynamoError) -> Page {
        var page = Page()
        var last: Item?
        var stoppedEarly = false
        for request in requests where !stoppedEarly {
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
