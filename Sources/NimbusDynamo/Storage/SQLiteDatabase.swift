internal import CSQLite

/// A failure reported by SQLite.
struct SQLiteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "SQLite error \(code): \(message)" }
}

/// One SQLite connection with a cache of prepared statements. Not thread-safe: the engine owns it
/// and uses it from one serial queue.
///
/// Connections use SQLite's `unix-excl` VFS: the first one takes a single exclusive `fcntl` lock
/// for the whole process, and the connections within it coordinate in memory, the WAL index too
/// (on the heap, not in a `-shm` file). The default VFS took and dropped `fcntl` locks about twice
/// per read transaction, a twentieth of a GetItem's CPU. In exchange no other process can open a
/// store that Nimbus has open (it gets "database is locked"), which also keeps a second Nimbus off
/// the same data directory. Crash recovery is SQLite's own: the WAL file is the record.
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, Self.vfs)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    private static let vfs = "unix-excl"

    deinit {
        close()
    }

    func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    func execute(_ sql: String) throws(SQLiteError) {
        guard handle != nil else { throw Self.closed }
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// A prepared statement for `sql`, reused across calls (reset and unbound before it is returned).
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        guard handle != nil else { throw Self.closed }
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw SQLiteError(code: rc, message: lastErrorMessage) }
        let statement = SQLiteStatement(raw, database: self)
        statements[sql] = statement
        return statement
    }

    static let closed = SQLiteError(code: SQLITE_MISUSE, message: "database closed")

    var lastErrorMessage: String {
        handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database closed"
    }

    /// True while a transaction is open on this connection.
    var inTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE … COMMIT), rolling back on error. Inside
    /// an open transaction (a group commit) it is a savepoint instead: `body` is still all or nothing,
    /// and becomes durable when the enclosing transaction commits.
    func transaction<T, E: Error>(_ body: () throws(E) -> T) throws(TransactionError<E>) -> T {
        let nested = inTransaction
        do {
            try statement(nested ? "SAVEPOINT nested" : "BEGIN IMMEDIATE").run()
        } catch {
            throw .sqlite(error)
        }
        let result: T
        do {
            result = try body()
        } catch {
            rollback(nested: nested)
            throw .body(error)
        }
        do {
            try statement(nested ? "RELEASE nested" : "COMMIT").run()
        } catch {
            rollback(nested: nested)
            throw .sqlite(error)
        }
        return result
    }

    private func rollback(nested: Bool) {
        if nested {
            try? statement("ROLLBACK TO nested").run()
            try? statement("RELEASE nested").run()
        } else {
            try? statement("ROLLBACK").run()
        }
    }
}

enum TransactionError<E: Error>: Error {
    case sqlite(SQLiteError)
    case body(E)
}
