import Testing

@testable import NimbusDynamo

@Suite("Table operations")
struct TableOperationTests {
    static let gsiTable = #"""
        {"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
           {"AttributeName":"status","AttributeType":"S"},{"AttributeName":"created","AttributeType":"N"}],
         "GlobalSecondaryIndexes":[{"IndexName":"byStatus","KeySchema":[{"AttributeName":"status","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
           "Projection":{"ProjectionType":"KEYS_ONLY"}}],
         "LocalSecondaryIndexes":[{"IndexName":"byCreated","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"created","KeyType":"RANGE"}],
           "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["total"]}}]}
        """#

    @Test("CreateTable returns an ACTIVE description in AWS's shape")
    func create() async throws {
        let harness = try ServiceHarness()
        let created = await harness.ok("CreateTable", Self.gsiTable)
        let table = try #require(created["TableDescription"])
        #expect(table["TableStatus"] == .string("ACTIVE"))
        #expect(table["TableArn"] == .string("arn:aws:dynamodb:us-east-1:000000000000:table/orders"))
        #expect(table["ItemCount"] == .number("0"))
        #expect(table["KeySchema"]?[1]?["KeyType"] == .string("RANGE"))
        #expect(table["BillingModeSummary"]?["BillingMode"] == .string("PAY_PER_REQUEST"))
        #expect(table["GlobalSecondaryIndexes"]?[0]?["IndexStatus"] == .string("ACTIVE"))
        #expect(table["GlobalSecondaryIndexes"]?[0]?["IndexArn"] == .string("arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/byStatus"))
        #expect(table["LocalSecondaryIndexes"]?[0]?["Projection"]?["NonKeyAttributes"] == .array([.string("total")]))
        #expect(table["CreationDateTime"] == .number("1700000000"))

        let again = await harness.fails("CreateTable", Self.gsiTable)
        #expect(again == ("ResourceInUseException", "Table already exists: orders"))
    }

    @Test("DescribeTable counts items and sizes")
    func describe() async throws {
        let harness = try ServiceHarness()
        await harness.ok("CreateTable", Self.gsiTable)
        await harness.put("orders", #"{"pk":{"S":"a"},"sk":{"N":"1"},"status":{"S":"open"}}"#)
        await harness.put("orders", #"{"pk":{"S":"a"},"sk":{"N":"2"}}"#)
        let table = try #require(await harness.ok("DescribeTable", #"{"TableName":"orders"}"#)["Table"])
        #expect(table["ItemCount"] == .number("2"))
        #expect(table["TableSizeBytes"]?.numberText.flatMap(Int.init) ?? 0 > 0)
        #expect(table["GlobalSecondaryIndexes"]?[0]?["ItemCount"] == .number("1"))
        #expect(await harness.fails("DescribeTable", #"{"TableName":"nope"}"#) == ("ResourceNotFoundException", "Requested resource not found: Table: nope not found"))
    }

    @Test("CreateTable validation", arguments: [
        (#"{"TableName":"tbl","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#,
         "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#,
         "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"pk","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#,
         "Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#,
         "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [id]"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#,
         "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"X"}],"BillingMode":"PAY_PER_REQUEST"}"#,
         "1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}"#,
         "No provisioned throughput specified for the table"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PROVISIONED"}"#,
         "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}"#,
         "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"c","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","LocalSecondaryIndexes":[{"IndexName":"lsi1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}"#,
         "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"),
        (#"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"gsi1","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}},{"IndexName":"gsi1","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}"#,
         "One or more parameter values were invalid: Duplicate index name: gsi1"),
    ])
    func createValidation(body: String, message: String) async throws {
        let harness = try ServiceHarness()
        #expect(await harness.fails("CreateTable", body) == ("ValidationException", message))
    }

    @Test("ListTables pages by name")
    func list() async throws {
        let harness = try ServiceHarness()
        for name in ["ccc", "aaa", "bbb", "ddd"] { await harness.createTable(name) }
        let first = await harness.ok("ListTables", #"{"Limit":2}"#)
        #expect(first["TableNames"] == .array([.string("aaa"), .string("bbb")]))
        #expect(first["LastEvaluatedTableName"] == .string("bbb"))
        let second = await harness.ok("ListTables", #"{"Limit":2,"ExclusiveStartTableName":"bbb"}"#)
        #expect(second["TableNames"] == .array([.string("ccc"), .string("ddd")]))
        #expect(second["LastEvaluatedTableName"] == nil)
        let (code, _) = await harness.fails("ListTables", #"{"Limit":0}"#)
        #expect(code == "ValidationException")
    }

    @Test("DeleteTable removes the table and its items")
    func delete() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("gone")
        await harness.put("gone", #"{"pk":{"S":"a"}}"#)
        let deleted = await harness.ok("DeleteTable", #"{"TableName":"gone"}"#)
        #expect(deleted["TableDescription"]?["TableStatus"] == .string("DELETING"))
        #expect(await harness.fails("DeleteTable", #"{"TableName":"gone"}"#).0 == "ResourceNotFoundException")
        await harness.createTable("gone")
        #expect(await harness.get("gone", #"{"pk":{"S":"a"}}"#) == nil)
    }

    @Test("UpdateTable adds a back-filled GSI and removes it")
    func updateTable() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("upd")
        await harness.put("upd", #"{"pk":{"S":"a"},"g":{"S":"x"}}"#)
        await harness.put("upd", #"{"pk":{"S":"b"},"g":{"S":"x"}}"#)
        await harness.put("upd", #"{"pk":{"S":"c"}}"#)
        let updated = await harness.ok("UpdateTable", #"""
            {"TableName":"upd","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],
             "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}
            """#)
        #expect(updated["TableDescription"]?["GlobalSecondaryIndexes"]?[0]?["ItemCount"] == .number("2"))
        let queried = await harness.ok("Query", #"{"TableName":"upd","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}}"#)
        #expect(queried["Count"] == .number("2"))
        await harness.ok("UpdateTable", #"{"TableName":"upd","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"byG"}}]}"#)
        let described = await harness.ok("DescribeTable", #"{"TableName":"upd"}"#)
        #expect(described["Table"]?["GlobalSecondaryIndexes"] == nil)
        #expect(described["Table"]?["AttributeDefinitions"]?.count == 1)
        let missing = await harness.fails("Query", #"{"TableName":"upd","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}}"#)
        #expect(missing == ("ValidationException", "The table does not have the specified index: byG"))
    }

    /// Found by fuzzing: each of these was stored, and the table and its items vanished at the next
    /// catalog reload because the stored definition no longer read back.
    @Test(
        "UpdateTable refuses a definition that would not read back; the table and its items stay",
        arguments: [
            (#"{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}"#,
             "Value '' at 'globalSecondaryIndexUpdates.1.member.create.indexName' failed to satisfy constraint"),
            (#"{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}"#,
             "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"),
            (#"{"TableName":"orders","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}"#,
             "ProvisionedThroughput must be specified for index: byStatus"),
        ])
    func updateTableKeepsTheCatalogReadable(request: String, reason: String) async throws {
        let harness = try ServiceHarness()
        await harness.ok("CreateTable", Self.gsiTable)
        await harness.put("orders", #"{"pk":{"S":"a"},"sk":{"N":"1"}}"#)
        let (code, message) = await harness.fails("UpdateTable", request)
        #expect(code == "ValidationException")
        #expect(message.contains(reason), "\(message)")
        try harness.reopen()
        #expect(await harness.ok("DescribeTable", #"{"TableName":"orders"}"#)["Table"]?["TableName"] == .string("orders"))
        #expect(await harness.get("orders", #"{"pk":{"S":"a"},"sk":{"N":"1"}}"#) != nil)
    }

    @Test("tables and items survive a restart")
    func persistence() async throws {
        let harness = try ServiceHarness()
        await harness.ok("CreateTable", Self.gsiTable)
        await harness.put("orders", #"{"pk":{"S":"a"},"sk":{"N":"1"},"status":{"S":"open"}}"#)
        try harness.reopen()
        #expect(await harness.get("orders", #"{"pk":{"S":"a"},"sk":{"N":"1"}}"#)?["status"] == .object(["S": .string("open")]))
        let queried = await harness.ok("Query", ##"{"TableName":"orders","IndexName":"byStatus","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"}}}"##)
        #expect(queried["Count"] == .number("1"))
        let table = await harness.ok("DescribeTable", #"{"TableName":"orders"}"#)["Table"]
        #expect(table?["CreationDateTime"] == .number("1700000000"))
    }

    @Test("tags")
    func tags() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("tagged")
        let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/tagged"
        await harness.ok("TagResource", #"{"ResourceArn":"\#(arn)","Tags":[{"Key":"env","Value":"dev"},{"Key":"team","Value":"x"}]}"#)
        await harness.ok("UntagResource", #"{"ResourceArn":"\#(arn)","TagKeys":["team"]}"#)
        let listed = await harness.ok("ListTagsOfResource", #"{"ResourceArn":"\#(arn)"}"#)
        #expect(listed["Tags"] == .array([.object(["Key": .string("env"), "Value": .string("dev")])]))
    }
}
