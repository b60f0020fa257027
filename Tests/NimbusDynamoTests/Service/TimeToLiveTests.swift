import Foundation
import Logging
import NimbusCore
import Testing

@testable import NimbusDynamo

@Suite("Time to live")
struct TimeToLiveTests {
    @Test("UpdateTimeToLive / DescribeTimeToLive")
    func configuration() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        #expect(await harness.ok("DescribeTimeToLive", #"{"TableName":"tbl"}"#) == .object(["TimeToLiveDescription": .object(["TimeToLiveStatus": .string("DISABLED")])]))
        let enabled = await harness.ok("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}}"#)
        #expect(enabled["TimeToLiveSpecification"]?["AttributeName"] == .string("expires"))
        let described = await harness.ok("DescribeTimeToLive", #"{"TableName":"tbl"}"#)
        #expect(described["TimeToLiveDescription"]?["TimeToLiveStatus"] == .string("ENABLED"))
        #expect(described["TimeToLiveDescription"]?["AttributeName"] == .string("expires"))
        #expect(await harness.fails("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}}"#).1 == "TimeToLive is already enabled")
        await harness.ok("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"expires"}}"#)
        #expect(await harness.fails("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"expires"}}"#).1 == "TimeToLive is already disabled")
        #expect(await harness.fails("UpdateTimeToLive", #"{"TableName":"nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"x"}}"#).0 == "ResourceNotFoundException")
    }

    @Test("the sweep deletes expired items (and their index entries) and keeps the rest")
    func sweep() async throws {
        let harness = try ServiceHarness()
        await harness.createTable(extra: #","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]"#)
        // Items written before TTL is enabled get their expiry back-filled.
        await harness.put("tbl", #"{"pk":{"S":"old"},"exp":{"N":"1000"},"g":{"S":"x"}}"#)
        await harness.ok("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}"#)
        await harness.put("tbl", #"{"pk":{"S":"soon"},"exp":{"N":"2000.5"},"g":{"S":"x"}}"#)
        await harness.put("tbl", #"{"pk":{"S":"never"},"g":{"S":"x"}}"#)
        await harness.put("tbl", #"{"pk":{"S":"text"},"exp":{"S":"1000"}}"#)

        let wall = TestWallClock()
        wall.now = 1500
        let service = TimeToLiveService(dynamo: harness.service, clock: ContinuousClock(), now: { Date(timeIntervalSince1970: wall.now) }, logger: Logger(label: "ttl"))
        #expect(await service.sweep() == 1)
        #expect(await harness.get("tbl", #"{"pk":{"S":"old"}}"#) == nil)
        #expect(await harness.get("tbl", #"{"pk":{"S":"soon"}}"#) != nil)
        wall.now = 2001
        #expect(await service.sweep() == 1)
        #expect(await harness.get("tbl", #"{"pk":{"S":"never"}}"#) != nil)
        #expect(await harness.get("tbl", #"{"pk":{"S":"text"}}"#) != nil)
        let index = await harness.ok("Query", #"{"TableName":"tbl","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}}"#)
        #expect(index["Count"] == .number("1"))
        // Updating the TTL attribute moves the expiry.
        await harness.ok("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"never"}},"UpdateExpression":"SET exp = :e","ExpressionAttributeValues":{":e":{"N":"2001"}}}"#)
        #expect(await service.sweep() == 1)
    }

    @Test("the service runs periodically and stops when cancelled")
    func run() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.ok("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}"#)
        await harness.put("tbl", #"{"pk":{"S":"a"},"exp":{"N":"1"}}"#)
        let service = TimeToLiveService(dynamo: harness.service, interval: .milliseconds(10), logger: Logger(label: "ttl"))
        let task = Task { try await service.run() }
        for _ in 0..<200 where await harness.get("tbl", #"{"pk":{"S":"a"}}"#) != nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await harness.get("tbl", #"{"pk":{"S":"a"}}"#) == nil)
        task.cancel()
        try await task.value
    }
}

@Suite("Provisioning from templates")
struct ProvisionTests {
    static func definition(_ properties: JSONValue, name: String = "Orders") -> TableDefinition {
        TableDefinition(logicalID: "OrdersTable", tableName: name, properties: properties)
    }

    static let properties: JSONValue = .object([
        "TableName": .string("Orders"),
        "KeySchema": .array([.object(["AttributeName": .string("id"), "KeyType": .string("HASH")])]),
        "AttributeDefinitions": .array([
            .object(["AttributeName": .string("id"), "AttributeType": .string("S")]),
            .object(["AttributeName": .string("status"), "AttributeType": .string("S")]),
        ]),
        "BillingMode": .string("PAY_PER_REQUEST"),
        "GlobalSecondaryIndexes": .array([.object([
            "IndexName": .string("byStatus"),
            "KeySchema": .array([.object(["AttributeName": .string("status"), "KeyType": .string("HASH")])]),
            "Projection": .object(["ProjectionType": .string("ALL")]),
        ])]),
        "TimeToLiveSpecification": .object(["AttributeName": .string("ttl"), "Enabled": .bool(true)]),
    ])

    @Test("creates the table once, idempotently, with TTL")
    func provision() async throws {
        let harness = try ServiceHarness()
        try harness.service.provision(Self.definition(Self.properties))
        try harness.service.provision(Self.definition(Self.properties))
        let table = await harness.ok("DescribeTable", #"{"TableName":"Orders"}"#)["Table"]
        #expect(table?["GlobalSecondaryIndexes"]?[0]?["IndexName"] == .string("byStatus"))
        #expect(table?["BillingModeSummary"]?["BillingMode"] == .string("PAY_PER_REQUEST"))
        let ttl = await harness.ok("DescribeTimeToLive", #"{"TableName":"Orders"}"#)
        #expect(ttl["TimeToLiveDescription"]?["AttributeName"] == .string("ttl"))
        #expect(await harness.ok("ListTables", "{}")["TableNames"] == .array([.string("Orders")]))
    }

    @Test("updates indexes in place and keeps items")
    func update() async throws {
        let harness = try ServiceHarness()
        try harness.service.provision(Self.definition(Self.properties))
        await harness.put("Orders", #"{"id":{"S":"1"},"status":{"S":"open"},"owner":{"S":"ann"}}"#)
        guard case .object(var fields) = Self.properties else { return }
        fields["AttributeDefinitions"] = .array([
            .object(["AttributeName": .string("id"), "AttributeType": .string("S")]),
            .object(["AttributeName": .string("owner"), "AttributeType": .string("S")]),
        ])
        fields["GlobalSecondaryIndexes"] = .array([.object([
            "IndexName": .string("byOwner"),
            "KeySchema": .array([.object(["AttributeName": .string("owner"), "KeyType": .string("HASH")])]),
            "Projection": .object(["ProjectionType": .string("KEYS_ONLY")]),
        ])])
        fields["TimeToLiveSpecification"] = .object(["AttributeName": .string("ttl"), "Enabled": .string("false")])
        try harness.service.provision(Self.definition(.object(fields)))
        let queried = await harness.ok("Query", ##"{"TableName":"Orders","IndexName":"byOwner","KeyConditionExpression":"#o = :o","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":o":{"S":"ann"}}}"##)
        #expect(queried["Count"] == .number("1"))
        #expect(await harness.fails("Query", ##"{"TableName":"Orders","IndexName":"byStatus","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"}}}"##).0 == "ValidationException")
        let ttl = await harness.ok("DescribeTimeToLive", #"{"TableName":"Orders"}"#)
        #expect(ttl["TimeToLiveDescription"]?["TimeToLiveStatus"] == .string("DISABLED"))
    }

    @Test("SimpleTable: PrimaryKey, defaulting to id")
    func simpleTable() async throws {
        let harness = try ServiceHarness()
        try harness.service.provision(Self.definition(.object(["PrimaryKey": .object(["Name": .string("num"), "Type": .string("Number")])]), name: "Simple"))
        try harness.service.provision(Self.definition(.object([:]), name: "Default"))
        let simple = await harness.ok("DescribeTable", #"{"TableName":"Simple"}"#)["Table"]
        #expect(simple?["AttributeDefinitions"]?[0]?["AttributeType"] == .string("N"))
        let fallback = await harness.ok("DescribeTable", #"{"TableName":"Default"}"#)["Table"]
        #expect(fallback?["KeySchema"]?[0]?["AttributeName"] == .string("id"))
    }

    @Test("refuses to change the primary key of an existing table")
    func keyChange() throws {
        let harness = try ServiceHarness()
        try harness.service.provision(Self.definition(.object([:]), name: "Keys"))
        #expect(throws: (any Error).self) {
            try harness.service.provision(Self.definition(.object(["PrimaryKey": .object(["Name": .string("other"), "Type": .string("String")])]), name: "Keys"))
        }
    }
}
