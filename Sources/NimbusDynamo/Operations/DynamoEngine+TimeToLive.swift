/// UpdateTimeToLive / DescribeTimeToLive, and the expiry sweep `TimeToLiveService` drives.
extension DynamoEngine {
    func updateTimeToLive(_ request: RequestFields) throws(DynamoError) -> JSON {
        let tableName = try request.tableName()
        let specification = try request.structure("TimeToLiveSpecification")
        var check = ConstraintCheck()
        check.required(specification, at: "timeToLiveSpecification")
        let enabled = try specification?.bool("Enabled")
        let attribute = try specification?.string("AttributeName")
        if specification != nil {
            check.required(enabled, at: "timeToLiveSpecification.enabled")
            check.required(attribute, at: "timeToLiveSpecification.attributeName")
            if let attribute, attribute.isEmpty || attribute.utf8.count > 255 {
                check.fail(attribute, at: "timeToLiveSpecification.attributeName", "Member must have length greater than or equal to 1")
            }
        }
        try check.check()
        let schema = try schema(tableName, describing: true)
        try setTimeToLive(schema, attribute: enabled! ? attribute! : nil, requested: attribute!)
        return .object(["TimeToLiveSpecification": .object(["Enabled": .bool(enabled!), "AttributeName": .string(attribute!)])])
    }

    /// Turns TTL on (recomputing every item's expiry) or off.
    func setTimeToLive(_ schema: TableSchema, attribute: String?, requested: String) throws(DynamoError) {
        if let attribute, schema.timeToLiveAttribute != nil {
            if schema.timeToLiveAttribute == attribute { throw .validation("TimeToLive is already enabled") }
            throw .validation("TimeToLive is active on a different AttributeName: current AttributeName is \(schema.timeToLiveAttribute!)")
        }
        if attribute == nil, schema.timeToLiveAttribute == nil { throw .validation("TimeToLive is already disabled") }
        if attribute == nil, schema.timeToLiveAttribute != requested {
            throw .validation("TimeToLive is active on a different AttributeName: current AttributeName is \(schema.timeToLiveAttribute!)")
        }
        var updated = schema
        updated.timeToLiveAttribute = attribute
        try transaction { () throws(DynamoError) in
            if attribute == nil {
                try sql { () throws(SQLiteError) in try store.clearExpiry(table: schema.id) }
            } else {
                var expiries: [(StorageKey, Int64)] = []
                try store.read(ItemStore.RangeRead(table: schema.id)) { (row) throws(DynamoError) -> Bool in
                    if let expiry = Self.expiry(of: try decodeStored(row.item), schema: updated) { expiries.append((row.key, expiry)) }
                    return true
                }
                for (key, expiry) in expiries {
                    try sql { () throws(SQLiteError) in try store.setExpiry(table: schema.id, key: key, expires: expiry) }
                }
            }
            try saveCatalog(updated)
        }
    }

    func describeTimeToLive(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        var description: [String: JSON] = ["TimeToLiveStatus": .string(schema.timeToLiveAttribute == nil ? "DISABLED" : "ENABLED")]
        if let attribute = schema.timeToLiveAttribute { description["AttributeName"] = .string(attribute) }
        return .object(["TimeToLiveDescription": .object(description)])
    }

    /// Deletes items whose TTL attribute is at or before `now` (epoch seconds), in batches, each
    /// batch one transaction. Returns how many items were deleted.
    @discardableResult
    func sweepExpired(now: Int64, batchSize: Int = 500) throws(DynamoError) -> Int {
        var deleted = 0
        for schema in tables.values where schema.timeToLiveAttribute != nil {
            while true {
                let rows = try sql { () throws(SQLiteError) in try store.expired(table: schema.id, now: now, limit: batchSize) }
                if rows.isEmpty { break }
                try transaction { () throws(DynamoError) in
                    for row in rows {
                        try storeItem(schema, key: row.key, old: try decodeStored(row.item), new: nil, byService: true)
                    }
                }
                deleted += rows.count
                if rows.count < batchSize { break }
            }
        }
        try sql { () throws(SQLiteError) in try store.trimStreamRecords(before: Double(now) - Self.streamRetention) }
        if deleted > 0 { logger.debug("Expired DynamoDB items", metadata: ["dynamodb.expired": "\(deleted)"]) }
        return deleted
    }
}
