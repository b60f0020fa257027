/// UpdateTable: billing and throughput changes, stream/protection settings, and online creation
/// and deletion of global secondary indexes (new indexes are back-filled immediately).
extension DynamoEngine {
    func updateTable(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        var updated = schema
        var check = ConstraintCheck()
        let billingMode = try request.string("BillingMode")
        check.oneOf(billingMode, ["PROVISIONED", "PAY_PER_REQUEST"], at: "billingMode")
        var definitions = schema.attributeDefinitions
        if let raw = try request.array("AttributeDefinitions") {
            for attribute in try TableSchema.attributeDefinitions(raw, &check) {
                if let existing = definitions.firstIndex(where: { $0.name == attribute.name }) {
                    definitions[existing] = attribute
                } else {
                    definitions.append(attribute)
                }
            }
        }
        if let raw = try request.structure("ProvisionedThroughput") {
            updated.throughput = try TableSchema.throughput(raw, member: "provisionedThroughput", &check)
        }
        try check.check()
        if let billingMode {
            updated.billingMode = billingMode
            if billingMode == "PAY_PER_REQUEST" {
                updated.throughput = nil
                for i in updated.globalIndexes.indices { updated.globalIndexes[i].throughput = nil }
            } else if updated.throughput == nil {
                throw .validation(TableSchema.invalid + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
            }
        }
        if let stream = request["StreamSpecification"] {
            try TableSchema.checkStreamSpecification(stream)
            if stream["StreamEnabled"] == .bool(true), updated.streamViewType != nil {
                throw .validation("Table already has an enabled stream: \(updated.streamArn)")
            }
            if stream["StreamEnabled"] == .bool(false), updated.streamViewType == nil {
                throw .validation("Table already has no enabled stream")
            }
            updated.streamSpecification = stream
        }
        if let sse = request["SSESpecification"] { updated.sseSpecification = sse }
        if let protection = try request.bool("DeletionProtectionEnabled") { updated.deletionProtection = protection }

        var created: [SecondaryIndex] = []
        var dropped: [String] = []
        for (i, raw) in (try request.array("GlobalSecondaryIndexUpdates") ?? []).enumerated() {
            let entry = try RequestFields(json: raw)
            let member = "globalSecondaryIndexUpdates.\(i + 1).member"
            if let create = try entry.structure("Create") {
                var indexCheck = ConstraintCheck()
                try TableSchema.checkIndexMembers(create, member: "\(member).create", &indexCheck)
                try indexCheck.check()
                let index = try TableSchema.index(
                    create, isGlobal: true, member: "\(member).create", definitions: definitions, tableKey: updated.key,
                    billingMode: updated.billingMode)
                guard updated.index(named: index.name) == nil else {
                    throw .validation("One or more parameter values were invalid: Attempting to create an index which already exists")
                }
                updated.globalIndexes.append(index)
                created.append(index)
            } else if let delete = try entry.structure("Delete") {
                let name = try delete.string("IndexName") ?? ""
                guard let position = updated.globalIndexes.firstIndex(where: { $0.name == name }) else {
                    throw DynamoError(.resourceNotFound, "Requested resource not found: Index: \(name) not found")
                }
                updated.globalIndexes.remove(at: position)
                dropped.append(name)
            } else if let update = try entry.structure("Update") {
                let name = try update.string("IndexName") ?? ""
                guard let position = updated.globalIndexes.firstIndex(where: { $0.name == name }) else {
                    throw DynamoError(.resourceNotFound, "Requested resource not found: Index: \(name) not found")
                }
                if let raw = try update.structure("ProvisionedThroughput") {
                    var indexCheck = ConstraintCheck()
                    updated.globalIndexes[position].throughput = try TableSchema.throughput(raw, member: "\(member).update.provisionedThroughput", &indexCheck)
                    try indexCheck.check()
                }
            }
        }
        // Keep only the definitions some key still uses.
        let used = updated.allKeyAttributeNames
        updated.attributeDefinitions = definitions.filter { used.contains($0.name) }
        let missing = used.filter { name in !updated.attributeDefinitions.contains { $0.name == name } }
        if !missing.isEmpty {
            throw .validation(TableSchema.invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [\(missing.sorted().joined(separator: ", "))], AttributeDefinitions: [\(definitions.map(\.name).joined(separator: ", "))]")
        }
        try replaceSchema(updated, created: created, dropped: dropped)
        return .object(["TableDescription": try describe(updated, status: "ACTIVE")])
    }

    /// Persists a changed schema, back-filling new indexes and dropping removed ones atomically.
    func replaceSchema(_ schema: TableSchema, created: [SecondaryIndex], dropped: [String]) throws(DynamoError) {
        try transaction { () throws(DynamoError) in
            for name in dropped {
                try sql { () throws(SQLiteError) in try store.dropIndex(table: schema.id, index: name) }
            }
            if !created.isEmpty {
                var rows: [(StorageKey, Item)] = []
                try store.read(ItemStore.RangeRead(table: schema.id)) { (row) throws(DynamoError) -> Bool in
                    rows.append((row.key, try decodeStored(row.item)))
                    return true
                }
                for (key, item) in rows {
                    for index in created {
                        guard let indexKey = schema.indexKey(index, of: item) else { continue }
                        try sql { () throws(SQLiteError) in
                            try store.putIndexEntry(table: schema.id, index: index.name, indexKey: indexKey, key: key)
                        }
                    }
                }
            }
            try saveCatalog(schema)
        }
    }
}
