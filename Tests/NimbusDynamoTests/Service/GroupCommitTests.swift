import Foundation
import Logging
import NimbusCore
import Testing

@testable import NimbusDynamo

/// Concurrent item writes committed together (one transaction, a savepoint per request), and reads
/// on a second connection that follow the writer's catalog.
@Suite("Group commit and the read connection")
struct GroupCommitTests {
    /// An engine on a fresh directory (no service, no queue): groups are formed by hand.
    final class EngineFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-dynamo-\(UUID().uuidString)").path
        let engine: DynamoEngine

        init() throws {
            engine = try DynamoEngine(directory: directory, logger: Logger(label: "test"), now: { 1_700_000_000 })
        }

        deinit {
            engine.close()
            try? FileManager.default.removeItem(atPath: directory)
        }

        func entry(_ operation: String, _ body: String) throws -> DynamoEngine.Call {
            DynamoEngine.Call(
                name: operation, operation: DynamoEngine.operations[operation]!,
                request: try RequestFields(json: JSON.parse(Array(body.utf8))))
        }

        /// Runs one request alone; the response as a client reads it.
        func run(_ operation: String, _ body: String) throws -> JSON {
            let call = try entry(operation, body)
            return try Self.wire(try call.operation(engine)(call.request))
        }

        /// Items in responses are spliced in as raw bytes: serialise and parse to look inside.
        static func wire(_ json: JSON) throws -> JSON {
            try JSON.parse(JSONWriter.serialize(json))
        }
    }

    @Test("each request in a group is all or nothing on its own; later requests see earlier ones")
    func savepointsPerRequest() throws {
        let fixture = try EngineFixture()
        _ = try fixture.run("CreateTable", #"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#)
        let createOnce = #"{"TableName":"tbl","Item":{"pk":{"S":"once"},"v":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"}"#
        let results = fixture.engine.commitTogether([
            try fixture.entry("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}}}"#),
            try fixture.entry("PutItem", createOnce),
            try fixture.entry("PutItem", createOnce),
            // Half of this batch is fine; the other half names a missing table: none of it may stay.
            try fixture.entry("BatchWriteItem", #"{"RequestItems":{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"batch"}}}}],"missing":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]}}"#),
            try fixture.entry("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"once"}},"UpdateExpression":"SET v = v + :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"}"#),
            try fixture.entry("DeleteItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}}}"#),
        ])
        #expect(results.count == 6)
        #expect((try? results[0].get()) != nil)
        #expect((try? results[1].get()) != nil)
        #expect(throws: DynamoError.self) { try results[2].get() }
        if case .failure(let error) = results[2] { #expect(error.code == .conditionalCheckFailed) }
        #expect(throws: DynamoError.self) { try results[3].get() }
        #expect(try EngineFixture.wire(results[4].get())["Attributes"]?["v"] == .object(["N": .string("2")]))
        #expect((try? results[5].get()) != nil)

        #expect(!fixture.engine.store.database.inTransaction)
        let scan = try fixture.run("Scan", #"{"TableName":"tbl"}"#)
        #expect(scan["Count"] == .number("1"))
        #expect(scan["Items"]?[0]?["pk"] == .object(["S": .string("once")]))
    }

    @Test("a transaction inside a group is a savepoint: a cancelled TransactWriteItems leaves nothing")
    func transactionInsideGroup() throws {
        let fixture = try EngineFixture()
        _ = try fixture.run("CreateTable", #"{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#)
        let results = fixture.engine.commitTogether([
            try fixture.entry("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"kept"}}}"#),
            try fixture.entry("TransactWriteItems", #"{"TransactItems":[{"Put":{"TableName":"tbl","Item":{"pk":{"S":"tx"}}}},{"ConditionCheck":{"TableName":"tbl","Key":{"pk":{"S":"absent"}},"ConditionExpression":"attribute_exists(pk)"}}]}"#),
            try fixture.entry("TransactWriteItems", #"{"TransactItems":[{"Put":{"TableName":"tbl","Item":{"pk":{"S":"tx2"}}}},{"ConditionCheck":{"TableName":"tbl","Key":{"pk":{"S":"kept"}},"ConditionExpression":"attribute_exists(pk)"}}]}"#),
        ])
        #expect((try? results[0].get()) != nil)
        if case .failure(let error) = results[1] { #expect(error.code == .transactionCanceled) } else { Issue.record("expected a cancellation") }
        #expect((try? results[2].get()) != nil)
        let keys = try fixture.run("Scan", #"{"TableName":"tbl"}"#)["Items"]?.arrayValue?.compactMap { $0["pk"]?.scalar }
        #expect(Set(keys ?? []) == ["kept", "tx2"])
    }

    @Test("concurrent conditional creates of one item: exactly one wins, and every acknowledged write is there after a reopen")
    func concurrentWrites() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        let statuses = await withTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    await harness.call("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"item-\#(i)"}}}"#).status
                }
                group.addTask {
                    await harness.call("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"once"},"by":{"N":"\#(i)"}},"ConditionExpression":"attribute_not_exists(pk)"}"#).status
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count == 65)
        #expect(statuses.filter { $0 == 400 }.count == 63)
        try harness.reopen()
        #expect(await harness.ok("Scan", #"{"TableName":"tbl","Select":"COUNT"}"#)["Count"] == .number("65"))
    }

    @Test("reads follow table changes at once: create, delete and re-create under one name")
    func readerFollowsCatalog() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.put("tbl", #"{"pk":{"S":"a"}}"#)
        #expect(await harness.get("tbl", #"{"pk":{"S":"a"}}"#) != nil)
        await harness.ok("DeleteTable", #"{"TableName":"tbl"}"#)
        #expect(await harness.fails("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}}}"#).0 == "ResourceNotFoundException")
        await harness.createTable(sortKeyType: "N")
        #expect(await harness.ok("Query", #"{"TableName":"tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}"#)["Count"] == .number("0"))
        await harness.ok("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}"#)
        #expect(await harness.ok("DescribeTimeToLive", #"{"TableName":"tbl"}"#)["TimeToLiveDescription"]?["TimeToLiveStatus"] == .string("ENABLED"))
    }
}
