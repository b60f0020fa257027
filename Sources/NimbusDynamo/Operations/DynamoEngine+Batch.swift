extension DynamoEngine {
    static let maximumBatchGet = 100
    static let maximumBatchWrite = 25

    func batchGetItem(_ request: RequestFields) throws(DynamoError) -> JSON {
        guard let requestItems = try request.object("RequestItems") else {
            throw .constraints(["Value null at 'requestItems' failed to satisfy constraint: Member must not be null"])
        }
        if requestItems.isEmpty {
            throw .constraints(["Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"])
        }
        var plans: [(TableSchema, [StorageKey], Projection?)] = []
        var total = 0
        for tableName in requestItems.keys.sorted() {
            let entry = try RequestFields(json: requestItems[tableName]!)
            var check = ConstraintCheck()
            check.tableName(tableName, at: "requestItems.\(tableName).member")
            let keys = try entry.array("Keys")
            check.required(keys, at: "requestItems.\(tableName).member.keys")
            if let keys, keys.isEmpty {
                check.fail("[]", at: "requestItems.\(tableName).member.keys", "Member must have length greater than or equal to 1")
            }
            try check.check()
            total += keys!.count
            if total > Self.maximumBatchGet { throw .validation("Too many items requested for the BatchGetItem call") }
            let schema = try schema(tableName)
            try checkNotMixed(entry, legacy: ["AttributesToGet"], expressions: ["ProjectionExpression"])
            var context = try expressionContext(entry)
            let projection = try projection(entry, &context)
            try checkExpressionParameters(entry, context, expressions: ["ProjectionExpression"])
            var storageKeys: [StorageKey] = []
            var seen = Set<StorageKey>()
            for raw in keys! {
                let key = try schema.storageKey(forKey: try AttributeValue.item(json: raw))
                guard seen.insert(key).inserted else { throw .validation("Provided list of item keys contains duplicates") }
                storageKeys.append(key)
            }
            plans.append((schema, storageKeys, projection))
        }
        var responses: [String: JSON] = [:]
        var capacities: [JSON] = []
        for (schema, keys, projection) in plans {
            var items: [JSON] = []
            var bytes = 0
            for key in keys {
                guard let raw = try sql({ () throws(SQLiteError) in try store.item(table: schema.id, key: key) }) else { continue }
                bytes += raw.count
                if let projection {
                    items.append(.raw(Self.encode(projection.apply(to: try decodeStored(raw)))))
                } else {
                    items.append(.raw(raw))
                }
            }
            responses[schema.name] = .array(items)
            if let capacity = try consumedCapacity(request, table: schema.name, units: Self.readUnits(bytes, consistent: true)) {
                capacities.append(capacity)
            }
        }
        var response: [String: JSON] = ["Responses": .object(responses), "UnprocessedKeys": .object([:])]
        if !capacities.isEmpty { response["ConsumedCapacity"] = .array(capacities) }
        return .object(response)
    }

    func batchWriteItem(_ request: RequestFields) throws(DynamoError) -> JSON {
        guard let requestItems = try request.object("RequestItems") else {
            throw .constraints(["Value null at 'requestItems' failed to satisfy constraint: Member must not be null"])
        }
        if requestItems.isEmpty {
            throw .constraints(["Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"])
        }
        enum Write {
            case put(Item, Int)
            case delete
        }
        var writes: [(TableSchema, StorageKey, Write)] = []
        for tableName in requestItems.keys.sorted() {
            guard case .array(let entries) = requestItems[tableName]! else {
                throw AttributeValue.conversionError(requestItems[tableName]!, expected: "List")
            }
            var check = ConstraintCheck()
            check.tableName(tableName, at: "requestItems.\(tableName).member")
            if entries.isEmpty {
                check.fail("[]", at: "requestItems.\(tableName).member", "Member must have length greater than or equal to 1")
            }
            try check.check()
            let schema = try schema(tableName)
            var seen = Set<StorageKey>()
            for raw in entries {
                let entry = try RequestFields(json: raw)
                let put = try entry.structure("PutRequest")
                let delete = try entry.structure("DeleteRequest")
                guard (put == nil) != (delete == nil) else {
                    throw .validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
                }
                if let put {
                    guard let item = try put.item("Item") else {
                        throw .constraints(["Value null at 'requestItems.\(tableName).member.putRequest.item' failed to satisfy constraint: Member must not be null"])
                    }
                    let key = try schema.storageKey(ofItem: item)
                    try schema.validateIndexKeys(of: item)
                    let size = try TableSchema.checkSize(item)
                    guard seen.insert(key).inserted else { throw .validation("Provided list of item keys contains duplicates") }
                    writes.append((schema, key, .put(item, size)))
                } else if let delete {
                    guard let keyItem = try delete.item("Key") else {
                        throw .constraints(["Value null at 'requestItems.\(tableName).member.deleteRequest.key' failed to satisfy constraint: Member must not be null"])
                    }
                    let key = try schema.storageKey(forKey: keyItem)
                    guard seen.insert(key).inserted else { throw .validation("Provided list of item keys contains duplicates") }
                    writes.append((schema, key, .delete))
                }
            }
        }
        if writes.count > Self.maximumBatchWrite {
            throw .constraints(["Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"])
        }
        // One SQLite transaction for the whole batch: faster, and never half-applied.
        var sizes: [String: Int] = [:]
        try transaction { () throws(DynamoError) in
            for (schema, key, write) in writes {
                let needsOld = schema.needsPreviousItem
                let old = needsOld ? try loadItem(schema, key: key) : nil
                switch write {
                case .put(let item, let size):
                    try storeItem(schema, key: key, old: old, new: item, size: size)
                    sizes[schema.name, default: 0] += size
                case .delete:
                    if needsOld {
                        if old != nil { try storeItem(schema, key: key, old: old, new: nil) }
                    } else {
                        try sql { () throws(SQLiteError) in try store.delete(table: schema.id, key: key) }
                    }
                }
            }
        }
        var response: [String: JSON] = ["UnprocessedItems": .object([:])]
        var capacities: [JSON] = []
        for name in sizes.keys.sorted() {
            if let capacity = try consumedCapacity(request, table: name, units: Self.writeUnits(sizes[name]!)) { capacities.append(capacity) }
        }
        if !capacities.isEmpty { response["ConsumedCapacity"] = .array(capacities) }
        return .object(response)
    }
}
