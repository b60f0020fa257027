import Foundation
import Logging
import NimbusCore

/// Executes DynamoDB operations against the SQLite store. Single-threaded by design: each engine
/// owns one connection, its copy of the catalog and an expression cache, and the service never
/// lets two threads into one engine at once. The service runs two: the writer (every request
/// that changes something, on one serial queue) and a reader on a read-only connection. One
/// operation per file in this folder (`DynamoEngine+PutItem.swift`, …).
final class DynamoEngine {
    let store: ItemStore
    let logger: Logger
    let expressions = ExpressionCache()
    /// Wall-clock seconds since the epoch (table creation times, TTL, idempotency windows).
    let now: @Sendable () -> Double
    /// The catalog, by table name.
    var tables: [String: TableSchema] = [:]

    /// Opens the store in `directory`; a `readOnly` engine is a second connection to a store a
    /// writer engine has opened first.
    init(
        directory: String, logger: Logger, now: @escaping @Sendable () -> Double, readOnly: Bool = false,
        flushEveryCommit: Bool = true
    ) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.store = try ItemStore(
            path: (directory as NSString).appendingPathComponent("dynamodb.sqlite3"), readOnly: readOnly,
            flushEveryCommit: flushEveryCommit)
        self.logger = logger
        self.now = now
        try reloadCatalog()
    }

    /// Reads the catalog as last committed (the reader calls it when the writer has changed it).
    func reloadCatalog() throws(SQLiteError) {
        var tables: [String: TableSchema] = [:]
        for row in try store.catalog() {
            do {
                let json = try JSON.parse(row.schema)
                let schema = try TableSchema(catalog: json, id: row.id)
                tables[schema.name] = schema
            } catch {
                logger.error("Skipping unreadable table definition", metadata: ["dynamodb.table": "\(row.name)", "error": "\(error)"])
            }
        }
        self.tables = tables
    }

    func close() {
        store.close()
    }

    typealias Operation = @Sendable (DynamoEngine) -> (RequestFields) throws(DynamoError) -> JSON

    /// One request: the operation it names and its parsed body.
    struct Call: Sendable {
        var name: String
        var operation: Operation
        var request: RequestFields
    }

    static let operations: [String: Operation] = [
        "CreateTable": { $0.createTable },
        "DescribeTable": { $0.describeTable },
        "ListTables": { $0.listTables },
        "DeleteTable": { $0.deleteTable },
        "UpdateTable": { $0.updateTable },
        "UpdateTimeToLive": { $0.updateTimeToLive },
        "DescribeTimeToLive": { $0.describeTimeToLive },
        "TagResource": { $0.tagResource },
        "UntagResource": { $0.untagResource },
        "ListTagsOfResource": { $0.listTagsOfResource },
        "DescribeContinuousBackups": { $0.describeContinuousBackups },
        "DescribeEndpoints": { $0.describeEndpoints },
        "DescribeLimits": { $0.describeLimits },
        "DescribeKinesisStreamingDestination": { $0.describeKinesisStreamingDestination },
        "DescribeContributorInsights": { $0.describeContributorInsights },
        "ListContributorInsights": { $0.listContributorInsights },
        "DescribeTableReplicaAutoScaling": { $0.describeTableReplicaAutoScaling },
        "GetResourcePolicy": { $0.getResourcePolicy },
        "ListBackups": { _ in { _ in .object(["BackupSummaries": .array([])]) } },
        "ListGlobalTables": { _ in { _ in .object(["GlobalTables": .array([])]) } },
        "ListExports": { _ in { _ in .object(["ExportSummaries": .array([])]) } },
        "ListImports": { _ in { _ in .object(["ImportSummaryList": .array([])]) } },
        "PutItem": { $0.putItem },
        "GetItem": { $0.getItem },
        "UpdateItem": { $0.updateItem },
        "DeleteItem": { $0.deleteItem },
        "Query": { $0.query },
        "Scan": { $0.scan },
        "BatchGetItem": { $0.batchGetItem },
        "BatchWriteItem": { $0.batchWriteItem },
        "TransactWriteItems": { $0.transactWriteItems },
        "TransactGetItems": { $0.transactGetItems },
        "ExecuteStatement": { $0.executeStatement },
        "BatchExecuteStatement": { $0.batchExecuteStatement },
        "ExecuteTransaction": { $0.executeTransaction },
    ]

    /// Item writes: the writer commits concurrent ones together (`commitTogether`). PartiQL calls
    /// that only read never get here (`isPageRead`); ExecuteTransaction's reads need one snapshot
    /// over several statements and run here too, harmlessly inside the group's transaction.
    static let itemWrites: Set<String> = [
        "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems", "ExecuteStatement",
        "BatchExecuteStatement", "ExecuteTransaction",
    ]

    /// Operations that only read, each with one consistent view without a transaction (one
    /// statement, or independent items): the reader runs them. TransactGetItems needs one snapshot
    /// over several statements and stays with the writer, as does everything else (table and
    /// catalog changes).
    static let reads: Set<String> = Set([
        "GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable", "ListTables", "DescribeTimeToLive",
        "ListTagsOfResource", "DescribeContinuousBackups", "DescribeEndpoints", "DescribeLimits",
    ]).union(unconfiguredFeatureReads)

    /// The reads whose answer may be a page of up to 1 MB rather than one item or a table's
    /// description.
    static let pageReads: Set<String> = ["BatchGetItem", "Query", "Scan"]

    /// Whether a call runs on a reader as a page read: Query, Scan, BatchGetItem, and PartiQL
    /// calls whose every statement is a SELECT.
    static func isPageRead(_ call: Call) -> Bool {
        pageReads.contains(call.name) || PartiQLRouting.readsOnly(call.name, call.request)
    }

    // MARK: Helpers shared by the operations

    func schema(_ name: String, describing: Bool = false) throws(DynamoError) -> TableSchema {
        guard let schema = tables[name] else { throw .tableNotFound(describing ? name : nil) }
        return schema
    }

    /// Runs SQLite work, turning SQLite failures into InternalServerError.
    func sql<T>(_ body: () throws(SQLiteError) -> T) throws(DynamoError) -> T {
        do {
            return try body()
        } catch {
            logger.error("SQLite failure", metadata: ["error": "\(error)"])
            throw error.dynamoError
        }
    }

    /// Runs `body` inside one SQLite write transaction: all of it commits, or none of it.
    func transaction<T>(_ body: () throws(DynamoError) -> T) throws(DynamoError) -> T {
        do {
            return try store.database.transaction(body)
        } catch {
            switch error {
            case .body(let failure): throw failure
            case .sqlite(let failure):
                logger.error("SQLite failure", metadata: ["error": "\(failure)"])
                throw failure.dynamoError
            }
        }
    }

    func loadItem(_ schema: TableSchema, key: StorageKey) throws(DynamoError) -> Item? {
        guard let bytes = try sql({ () throws(SQLiteError) in try store.item(table: schema.id, key: key) }) else { return nil }
        return try decodeStored(bytes)
    }

    func decodeStored(_ bytes: [UInt8]) throws(DynamoError) -> Item {
        do {
            return AttributeValue.item(stored: try JSONParser.parse(bytes))
        } catch {
            throw DynamoError(.internalServerError, "Stored item is unreadable: \(error.message)")
        }
    }

    static func encode(_ item: Item) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.write(item: item)
        return writer.bytes
    }

    /// Writes (or, with `new == nil`, deletes) an item, keeping its index rows, TTL and stream in
    /// step. `byService`: DynamoDB itself deletes it (TTL), which its stream record says.
    func storeItem(
        _ schema: TableSchema, key: StorageKey, old: Item?, new: Item?, size: Int? = nil, byService: Bool = false
    ) throws(DynamoError) {
        try sql { () throws(SQLiteError) in
            if let view = schema.streamViewType,
                let record = StreamRecord(
                    old: old, new: new, key: schema.key, viewType: view, created: now(), byService: byService)
            {
                try store.appendStreamRecord(table: schema.id, record)
            }
            if let new {
                let bytes = Self.encode(new)
                try store.put(
                    table: schema.id, key: key, item: bytes, size: size ?? AttributeValue.size(of: new),
                    expires: Self.expiry(of: new, schema: schema))
            } else if old != nil {
                try store.delete(table: schema.id, key: key)
            }
            for index in schema.indexes {
                let before = old.flatMap { schema.indexKey(index, of: $0) }
                let after = new.flatMap { schema.indexKey(index, of: $0) }
                if before == after { continue }
                if let before { try store.deleteIndexEntry(table: schema.id, index: index.name, indexKey: before, key: key) }
                if let after { try store.putIndexEntry(table: schema.id, index: index.name, indexKey: after, key: key) }
            }
        }
    }

    /// The TTL expiry of an item: its TTL attribute, when that is a number of epoch seconds.
    static func expiry(of item: Item, schema: TableSchema) -> Int64? {
        guard let attribute = schema.timeToLiveAttribute, case .n(let n)? = item[attribute] else { return nil }
        return n.epochSeconds
    }

    /// Stores `schema` as its table's catalog entry. A definition that would not read back is
    /// refused with the reason: stored, it would make the table and its items vanish at the
    /// readers' next reload and at every start.
    func saveCatalog(_ schema: TableSchema) throws(DynamoError) {
        let json = schema.catalogJSON
        _ = try TableSchema(catalog: json, id: schema.id)
        let bytes = JSONWriter.serialize(json)
        try sql { () throws(SQLiteError) in try store.updateTable(id: schema.id, schema: bytes) }
        tables[schema.name] = schema
    }

    /// `ConsumedCapacity` when the request asked for it.
    func consumedCapacity(_ request: RequestFields, table: String, units: Double) throws(DynamoError) -> JSON? {
        guard let mode = try request.string("ReturnConsumedCapacity"), mode != "NONE" else { return nil }
        var fields: [String: JSON] = ["TableName": .string(table), "CapacityUnits": .double(units)]
        if mode == "INDEXES" { fields["Table"] = .object(["CapacityUnits": .double(units)]) }
        return .object(fields)
    }

    static func writeUnits(_ size: Int) -> Double { Double(max(1, (size + 1023) / 1024)) }
    static func readUnits(_ size: Int, consistent: Bool) -> Double {
        let units = Double(max(1, (size + 4095) / 4096))
        return consistent ? units : units / 2
    }
}
