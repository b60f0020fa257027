/// CreateTable, DescribeTable, ListTables, DeleteTable. Tables are ACTIVE as soon as they exist.
extension DynamoEngine {
    func createTable(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try TableSchema(definition: request, now: now())
        let created = try create(schema)
        return .object(["TableDescription": try describe(created, status: "ACTIVE")])
    }

    func create(_ schema: TableSchema) throws(DynamoError) -> TableSchema {
        guard tables[schema.name] == nil else {
            throw DynamoError(.resourceInUse, "Table already exists: \(schema.name)")
        }
        var created = schema
        let bytes = JSONWriter.serialize(schema.catalogJSON)
        created.id = try sql { () throws(SQLiteError) in try store.insertTable(name: schema.name, schema: bytes) }
        tables[schema.name] = created
        logger.info("Created DynamoDB table", metadata: ["dynamodb.table": "\(schema.name)"])
        return created
    }

    func describe(_ schema: TableSchema, status: String) throws(DynamoError) -> JSON {
        let (count, size) = try sql { () throws(SQLiteError) in try store.statistics(table: schema.id) }
        var indexStatistics: [String: TableSchema.IndexStatistics] = [:]
        for index in schema.indexes {
            let (indexCount, indexSize) = try sql { () throws(SQLiteError) in try store.statistics(table: schema.id, index: index.name) }
            indexStatistics[index.name] = .init(itemCount: indexCount, sizeBytes: indexSize)
        }
        return schema.describe(status: status, itemCount: count, sizeBytes: size, indexStatistics: indexStatistics)
    }

    func describeTable(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        return .object(["Table": try describe(schema, status: "ACTIVE")])
    }

    func listTables(_ request: RequestFields) throws(DynamoError) -> JSON {
        let start = try request.string("ExclusiveStartTableName")
        let limit = try request.integer("Limit")
        var check = ConstraintCheck()
        check.range(limit, at: "limit", minimum: 1, maximum: 100)
        check.indexName(start, at: "exclusiveStartTableName")
        try check.check()
        let names = tables.keys.sorted().filter { start == nil || $0 > start! }
        let page = Array(names.prefix(limit ?? 100))
        var response: [String: JSON] = ["TableNames": .array(page.map(JSON.string))]
        if page.count < names.count, let last = page.last { response["LastEvaluatedTableName"] = .string(last) }
        return .object(response)
    }

    func deleteTable(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        if schema.deletionProtection {
            throw .validation("1 validation error detected: Table '\(schema.name)' can't be deleted while DeletionProtectionEnabled is set to True")
        }
        let description = try describe(schema, status: "DELETING")
        try transaction { () throws(DynamoError) in
            try sql { () throws(SQLiteError) in try store.dropTable(id: schema.id) }
        }
        tables[schema.name] = nil
        logger.info("Deleted DynamoDB table", metadata: ["dynamodb.table": "\(schema.name)"])
        return .object(["TableDescription": description])
    }

    func describeContinuousBackups(_ request: RequestFields) throws(DynamoError) -> JSON {
        _ = try schema(try request.tableName(), describing: true)
        return .object([
            "ContinuousBackupsDescription": .object([
                "ContinuousBackupsStatus": .string("ENABLED"),
                "PointInTimeRecoveryDescription": .object(["PointInTimeRecoveryStatus": .string("DISABLED")]),
            ])
        ])
    }

    func describeEndpoints(_ request: RequestFields) throws(DynamoError) -> JSON {
        .object(["Endpoints": .array([.object(["Address": .string("localhost"), "CachePeriodInMinutes": .int(1440)])])])
    }

    func describeLimits(_ request: RequestFields) throws(DynamoError) -> JSON {
        .object([
            "AccountMaxReadCapacityUnits": .int(80000), "AccountMaxWriteCapacityUnits": .int(80000),
            "TableMaxReadCapacityUnits": .int(40000), "TableMaxWriteCapacityUnits": .int(40000),
        ])
    }
}
