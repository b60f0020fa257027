internal import CSQLite

/// The SQLite layout of all tables:
/// - `dynamo_tables`: the catalog (name → id, schema as CreateTable-shaped JSON);
/// - `dynamo_items`: one row per item under (table id, encoded partition key, encoded sort key),
///   the item as JSON, its DynamoDB size and its TTL expiry (when TTL is on);
/// - `dynamo_index_items`: one row per item per secondary index it appears in, keyed by the
///   index key then the table key, pointing back at the item row;
/// - `dynamo_tokens`: ClientRequestTokens of recent transactions (idempotency);
/// - `dynamo_stream_records`: DynamoDB Streams records (`ItemStore+Streams.swift`).
/// WAL journaling, by default with synchronous=FULL: a write is on disk when its commit returns,
/// and only then visible to other connections. With synchronous=NORMAL a commit returns once it is
/// in the WAL file (the operating system's page cache), and the WAL is flushed at checkpoints.
final class ItemStore {
    let database: SQLiteDatabase

    /// Opens (creating the layout if needed) the store at `path`. A `readOnly` store is a second
    /// connection to a store another connection has opened first: WAL lets it read the last commit
    /// while the writer works, and `query_only` makes sure it never writes.
    init(path: String, readOnly: Bool = false, flushEveryCommit: Bool = true) throws(SQLiteError) {
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA cache_size=-16000")
        if readOnly {
            try database.execute("PRAGMA query_only=ON")
            return
        }
        try database.execute("PRAGMA journal_mode=WAL")
        try database.execute(flushEveryCommit ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
        try database.execute("PRAGMA foreign_keys=OFF")
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS dynamo_tables(
                id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, schema BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS dynamo_items(
                tid INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL,
                size INTEGER NOT NULL, expires INTEGER, PRIMARY KEY(tid, pk, sk)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS dynamo_items_expiry ON dynamo_items(tid, expires) WHERE expires IS NOT NULL;
            CREATE TABLE IF NOT EXISTS dynamo_index_items(
                tid INTEGER NOT NULL, idx TEXT NOT NULL, ipk BLOB NOT NULL, isk BLOB NOT NULL,
                pk BLOB NOT NULL, sk BLOB NOT NULL, PRIMARY KEY(tid, idx, ipk, isk, pk, sk)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS dynamo_tokens(
                token TEXT PRIMARY KEY, digest BLOB NOT NULL, created REAL NOT NULL);
            """)
        try database.execute(Self.streamSchema)
    }

    func close() {
        database.close()
    }

    // MARK: Catalog

    func catalog() throws(SQLiteError) -> [(id: Int64, name: String, schema: [UInt8])] {
        let statement = try database.statement("SELECT id, name, schema FROM dynamo_tables ORDER BY name")
        defer { statement.reset() }
        var rows: [(Int64, String, [UInt8])] = []
        while try statement.step() {
            rows.append((statement.int64(0), statement.text(1), statement.blob(2)))
        }
        return rows
    }

    func insertTable(name: String, schema: [UInt8]) throws(SQLiteError) -> Int64 {
        try database.statement("INSERT INTO dynamo_tables(name, schema) VALUES(?, ?)").bind(1, name).bind(2, schema).run()
        return sqlite3_last_insert_rowid(database.handle)
    }

    func updateTable(id: Int64, schema: [UInt8]) throws(SQLiteError) {
        try database.statement("UPDATE dynamo_tables SET schema = ? WHERE id = ?").bind(1, schema).bind(2, id).run()
    }

    func dropTable(id: Int64) throws(SQLiteError) {
        try dropStreamRecords(table: id)
        try database.statement("DELETE FROM dynamo_index_items WHERE tid = ?").bind(1, id).run()
        try database.statement("DELETE FROM dynamo_items WHERE tid = ?").bind(1, id).run()
        try database.statement("DELETE FROM dynamo_tables WHERE id = ?").bind(1, id).run()
    }

    func dropIndex(table id: Int64, index: String) throws(SQLiteError) {
        try database.statement("DELETE FROM dynamo_index_items WHERE tid = ? AND idx = ?").bind(1, id).bind(2, index).run()
    }

    // MARK: Items

    func item(table id: Int64, key: StorageKey) throws(SQLiteError) -> [UInt8]? {
        let statement = try database.statement("SELECT item FROM dynamo_items WHERE tid = ? AND pk = ? AND sk = ?")
        statement.bind(1, id).bind(2, key.partition).bind(3, key.sort)
        defer { statement.reset() }
        return try statement.step() ? statement.blob(0) : nil
    }

    func put(table id: Int64, key: StorageKey, item: [UInt8], size: Int, expires: Int64?) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO dynamo_items(tid, pk, sk, item, size, expires) VALUES(?, ?, ?, ?, ?, ?)")
            .bind(1, id).bind(2, key.partition).bind(3, key.sort).bind(4, item).bind(5, Int64(size)).bind(6, expires)
            .run()
    }

    func delete(table id: Int64, key: StorageKey) throws(SQLiteError) {
        try database.statement("DELETE FROM dynamo_items WHERE tid = ? AND pk = ? AND sk = ?")
            .bind(1, id).bind(2, key.partition).bind(3, key.sort).run()
    }

    func putIndexEntry(table id: Int64, index: String, indexKey: StorageKey, key: StorageKey) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO dynamo_index_items(tid, idx, ipk, isk, pk, sk) VALUES(?, ?, ?, ?, ?, ?)")
            .bind(1, id).bind(2, index).bind(3, indexKey.partition).bind(4, indexKey.sort)
            .bind(5, key.partition).bind(6, key.sort).run()
    }

    func deleteIndexEntry(table id: Int64, index: String, indexKey: StorageKey, key: StorageKey) throws(SQLiteError) {
        try database.statement("DELETE FROM dynamo_index_items WHERE tid = ? AND idx = ? AND ipk = ? AND isk = ? AND pk = ? AND sk = ?")
            .bind(1, id).bind(2, index).bind(3, indexKey.partition).bind(4, indexKey.sort)
            .bind(5, key.partition).bind(6, key.sort).run()
    }

    func setExpiry(table id: Int64, key: StorageKey, expires: Int64?) throws(SQLiteError) {
        try database.statement("UPDATE dynamo_items SET expires = ? WHERE tid = ? AND pk = ? AND sk = ?")
            .bind(1, expires).bind(2, id).bind(3, key.partition).bind(4, key.sort).run()
    }

    func clearExpiry(table id: Int64) throws(SQLiteError) {
        try database.statement("UPDATE dynamo_items SET expires = NULL WHERE tid = ? AND expires IS NOT NULL").bind(1, id).run()
    }

    /// Items whose TTL has passed, oldest first.
    func expired(table id: Int64, now: Int64, limit: Int) throws(SQLiteError) -> [StoredRow] {
        let statement = try database.statement(
            "SELECT pk, sk, item, size FROM dynamo_items WHERE tid = ? AND expires IS NOT NULL AND expires <= ? ORDER BY expires LIMIT ?")
        statement.bind(1, id).bind(2, now).bind(3, Int64(limit))
        defer { statement.reset() }
        var rows: [StoredRow] = []
        while try statement.step() {
            rows.append(StoredRow(key: StorageKey(partition: statement.blob(0), sort: statement.blob(1)), item: statement.blob(2), size: Int(statement.int64(3))))
        }
        return rows
    }

    // MARK: Statistics

    func statistics(table id: Int64) throws(SQLiteError) -> (count: Int, size: Int) {
        let statement = try database.statement("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM dynamo_items WHERE tid = ?")
        statement.bind(1, id)
        defer { statement.reset() }
        guard try statement.step() else { return (0, 0) }
        return (Int(statement.int64(0)), Int(statement.int64(1)))
    }

    func statistics(table id: Int64, index: String) throws(SQLiteError) -> (count: Int, size: Int) {
        let statement = try database.statement(
            """
            SELECT COUNT(*), COALESCE(SUM(i.size), 0) FROM dynamo_index_items x
            JOIN dynamo_items i ON i.tid = x.tid AND i.pk = x.pk AND i.sk = x.sk WHERE x.tid = ? AND x.idx = ?
            """)
        statement.bind(1, id).bind(2, index)
        defer { statement.reset() }
        guard try statement.step() else { return (0, 0) }
        return (Int(statement.int64(0)), Int(statement.int64(1)))
    }

    // MARK: Idempotency tokens

    func token(_ token: String, notBefore: Double) throws(SQLiteError) -> [UInt8]? {
        try database.statement("DELETE FROM dynamo_tokens WHERE created < ?").bind(1, notBefore).run()
        let statement = try database.statement("SELECT digest FROM dynamo_tokens WHERE token = ?")
        statement.bind(1, token)
        defer { statement.reset() }
        return try statement.step() ? statement.blob(0) : nil
    }

    func saveToken(_ token: String, digest: [UInt8], created: Double) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO dynamo_tokens(token, digest, created) VALUES(?, ?, ?)")
            .bind(1, token).bind(2, digest).bind(3, created).run()
    }
}
