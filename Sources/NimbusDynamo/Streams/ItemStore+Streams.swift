internal import CSQLite

/// Stream records: one row per item change of a table whose stream is enabled, written in the same
/// transaction as the change (so a record exists exactly when its change does), numbered by an
/// `AUTOINCREMENT` sequence that never reuses a number, and trimmed after 24 hours.
extension ItemStore {
    static let streamSchema = """
        CREATE TABLE IF NOT EXISTS dynamo_stream_records(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, tid INTEGER NOT NULL, created REAL NOT NULL,
            event TEXT NOT NULL, view TEXT NOT NULL, keys BLOB NOT NULL, new_image BLOB, old_image BLOB,
            size INTEGER NOT NULL, by_service INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS dynamo_stream_records_table ON dynamo_stream_records(tid, seq);
        """

    func appendStreamRecord(table id: Int64, _ record: StreamRecord) throws(SQLiteError) {
        try database.statement(
            """
            INSERT INTO dynamo_stream_records(tid, created, event, view, keys, new_image, old_image, size, by_service)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        )
        .bind(1, id).bind(2, record.created).bind(3, record.event.rawValue).bind(4, record.viewType.rawValue)
        .bind(5, record.keys).bind(6, nullable: record.newImage).bind(7, nullable: record.oldImage).bind(8, Int64(record.size))
        .bind(9, Int64(record.byService ? 1 : 0)).run()
    }

    /// Up to `limit` records of the table after sequence number `after`, oldest first, stopping
    /// after the record that brings their images to `byteLimit` (GetRecords answers at most 1 MB).
    func streamRecords(table id: Int64, after: Int64, limit: Int, byteLimit: Int = 1 << 20) throws(SQLiteError)
        -> [StreamRecord]
    {
        let statement = try database.statement(
            """
            SELECT seq, created, event, view, keys, new_image, old_image, size, by_service FROM dynamo_stream_records
            WHERE tid = ? AND seq > ? ORDER BY seq LIMIT ?
            """)
        statement.bind(1, id).bind(2, after).bind(3, Int64(limit))
        defer { statement.reset() }
        var records: [StreamRecord] = []
        var bytes = 0
        while bytes < byteLimit, try statement.step() {
            guard let event = StreamRecord.Event(rawValue: statement.text(2)),
                let view = StreamViewType(rawValue: statement.text(3))
            else { continue }
            records.append(
                StreamRecord(
                    sequence: statement.int64(0), created: statement.double(1), event: event, viewType: view,
                    keys: statement.blob(4), newImage: statement.optionalBlob(5), oldImage: statement.optionalBlob(6),
                    size: Int(statement.int64(7)), byService: statement.int64(8) != 0))
            bytes += records.last!.keys.count + (records.last!.newImage?.count ?? 0) + (records.last!.oldImage?.count ?? 0)
        }
        return records
    }

    /// The table's oldest and newest retained sequence numbers; the newest number given out to any
    /// table when it has none (so LATEST still means "after everything so far").
    func streamBounds(table id: Int64) throws(SQLiteError) -> (oldest: Int64?, newest: Int64) {
        let statement = try database.statement(
            """
            SELECT (SELECT MIN(seq) FROM dynamo_stream_records WHERE tid = ?1),
                   (SELECT MAX(seq) FROM dynamo_stream_records WHERE tid = ?1),
                   (SELECT seq FROM sqlite_sequence WHERE name = 'dynamo_stream_records')
            """)
        statement.bind(1, id)
        defer { statement.reset() }
        guard try statement.step() else { return (nil, 0) }
        let oldest = statement.isNull(0) ? nil : Optional(statement.int64(0))
        let newest = statement.isNull(1) ? (statement.isNull(2) ? 0 : statement.int64(2)) : statement.int64(1)
        return (oldest, newest)
    }

    /// Drops records created before `cutoff` (epoch seconds): streams keep 24 hours.
    func trimStreamRecords(before cutoff: Double) throws(SQLiteError) {
        try database.statement("DELETE FROM dynamo_stream_records WHERE created < ?").bind(1, cutoff).run()
    }

    func dropStreamRecords(table id: Int64) throws(SQLiteError) {
        try database.statement("DELETE FROM dynamo_stream_records WHERE tid = ?").bind(1, id).run()
    }
}
