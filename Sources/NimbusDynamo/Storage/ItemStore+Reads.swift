/// Ordered range reads for Query and Scan, over the table or a secondary index. Rows are produced
/// lazily; the caller stops when its page is full.
extension ItemStore {
    /// Bounds on the (encoded) sort key.
    struct SortRange: Equatable {
        var lower: [UInt8]?
        var lowerInclusive = true
        var upper: [UInt8]?
        var upperInclusive = true

        static let all = SortRange()
    }

    struct RangeRead {
        var table: Int64
        var index: String?
        /// The (encoded) partition key for a query; nil for a scan.
        var partition: [UInt8]?
        var sortRange: SortRange = .all
        var forward = true
        /// Exclusive start: the table key, and the index key when reading an index.
        var afterKey: StorageKey?
        var afterIndexKey: StorageKey?
    }

    private enum Parameter {
        case blob([UInt8])
        case int(Int64)
        case text(String)
    }

    /// Calls `body` for each row in order until it returns false.
    func read(_ request: RangeRead, _ body: (StoredRow) throws(DynamoError) -> Bool) throws(DynamoError) {
        var sql: String
        var parameters: [Parameter] = [.int(request.table)]
        let direction = request.forward ? "ASC" : "DESC"
        let after = request.forward ? ">" : "<"
        if let index = request.index {
            sql = """
                SELECT i.pk, i.sk, i.item, i.size, x.ipk, x.isk FROM dynamo_index_items x \
                JOIN dynamo_items i ON i.tid = x.tid AND i.pk = x.pk AND i.sk = x.sk \
                WHERE x.tid = ? AND x.idx = ?
                """
            parameters.append(.text(index))
            if let partition = request.partition {
                sql += " AND x.ipk = ?"
                parameters.append(.blob(partition))
                appendRange(request.sortRange, column: "x.isk", to: &sql, &parameters)
                if let key = request.afterKey, let indexKey = request.afterIndexKey {
                    sql += " AND (x.isk, x.pk, x.sk) \(after) (?, ?, ?)"
                    parameters += [.blob(indexKey.sort), .blob(key.partition), .blob(key.sort)]
                }
                sql += " ORDER BY x.isk \(direction), x.pk \(direction), x.sk \(direction)"
            } else {
                if let key = request.afterKey, let indexKey = request.afterIndexKey {
                    sql += " AND (x.ipk, x.isk, x.pk, x.sk) > (?, ?, ?, ?)"
                    parameters += [.blob(indexKey.partition), .blob(indexKey.sort), .blob(key.partition), .blob(key.sort)]
                }
                sql += " ORDER BY x.ipk, x.isk, x.pk, x.sk"
            }
        } else {
            sql = "SELECT pk, sk, item, size FROM dynamo_items WHERE tid = ?"
            if let partition = request.partition {
                sql += " AND pk = ?"
                parameters.append(.blob(partition))
                appendRange(request.sortRange, column: "sk", to: &sql, &parameters)
                if let key = request.afterKey {
                    sql += " AND sk \(after) ?"
                    parameters.append(.blob(key.sort))
                }
                sql += " ORDER BY sk \(direction)"
            } else {
                if let key = request.afterKey {
                    sql += " AND (pk, sk) > (?, ?)"
                    parameters += [.blob(key.partition), .blob(key.sort)]
                }
                sql += " ORDER BY pk, sk"
            }
        }
        do {
            let statement = try database.statement(sql)
            defer { statement.reset() }
            for (i, parameter) in parameters.enumerated() {
                switch parameter {
                case .blob(let b): statement.bind(Int32(i + 1), b)
                case .int(let n): statement.bind(Int32(i + 1), n)
                case .text(let t): statement.bind(Int32(i + 1), t)
                }
            }
            let hasIndexKey = request.index != nil
            while try statement.step() {
                let row = StoredRow(
                    key: StorageKey(partition: statement.blob(0), sort: statement.blob(1)),
                    item: statement.blob(2), size: Int(statement.int64(3)),
                    indexKey: hasIndexKey ? StorageKey(partition: statement.blob(4), sort: statement.blob(5)) : nil)
                if try !body(row) { return }
            }
        } catch let error as SQLiteError {
            throw error.dynamoError
        } catch let error as DynamoError {
            throw error
        } catch {
            throw DynamoError(.internalServerError, "\(error)")
        }
    }

    private func appendRange(_ range: SortRange, column: String, to sql: inout String, _ parameters: inout [Parameter]) {
        if let lower = range.lower {
            sql += " AND \(column) \(range.lowerInclusive ? ">=" : ">") ?"
            parameters.append(.blob(lower))
        }
        if let upper = range.upper {
            sql += " AND \(column) \(range.upperInclusive ? "<=" : "<") ?"
            parameters.append(.blob(upper))
        }
    }
}

extension SQLiteError {
    var dynamoError: DynamoError {
        DynamoError(.internalServerError, "Internal server error: \(self)")
    }
}
