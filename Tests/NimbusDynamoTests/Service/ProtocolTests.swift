import NimbusCore
import Testing

@testable import NimbusDynamo

@Suite("JSON 1.0 protocol")
struct ProtocolTests {
    @Test("responses carry DynamoDB's headers and a correct CRC32")
    func headers() async throws {
        let harness = try ServiceHarness()
        let response = await harness.call("ListTables", "{}")
        #expect(response.status == 200)
        let headers = Dictionary(uniqueKeysWithValues: response.headers)
        #expect(headers["Content-Type"] == "application/x-amz-json-1.0")
        #expect(headers["x-amzn-RequestId"]?.count == 52)
        #expect(headers["x-amz-crc32"] == String(CRCTables.crc32.checksum(Array(response.text.utf8))))
        #expect(response.json["TableNames"] == .array([]))
    }

    @Test("unknown operations and targets")
    func unknownOperation() async throws {
        let harness = try ServiceHarness()
        let (code, _) = await harness.fails("FlyToTheMoon", "{}")
        #expect(code == "UnknownOperationException")
        let response = await harness.service.handle(target: "Kinesis_20131202.PutRecord", body: [])
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("com.amazon.coral.service#UnknownOperationException"))
    }

    @Test("features Nimbus never configures read as absent, in DynamoDB's namespaces")
    func unconfiguredFeatures() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        let insights = await harness.ok("DescribeContributorInsights", #"{"TableName":"tbl"}"#)
        #expect(insights["ContributorInsightsStatus"] == .string("DISABLED"))
        let response = await harness.call("GetResourcePolicy", #"{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl"}"#)
        #expect(response.status == 400)
        #expect(response.json["__type"] == .string("com.amazonaws.dynamodb.v20120810#PolicyNotFoundException"))
        let (code, _) = await harness.fails("DescribeKinesisStreamingDestination", #"{"TableName":"missing"}"#)
        #expect(code == "ResourceNotFoundException")
    }

    @Test("malformed JSON and wrongly typed members are SerializationExceptions", arguments: [
        "{", "[]", #"{"TableName": 5}"#, #"{"TableName": {}}"#, #"{"TableName": "tbl", "Key": []}"#, "nul",
    ])
    func serialization(body: String) async throws {
        let harness = try ServiceHarness()
        let (code, _) = await harness.fails("GetItem", body)
        #expect(code == "SerializationException")
    }

    @Test("error bodies use DynamoDB's type names")
    func errorShape() async throws {
        let harness = try ServiceHarness()
        let response = await harness.call("GetItem", #"{"TableName":"missing","Key":{"pk":{"S":"a"}}}"#)
        #expect(response.status == 400)
        #expect(response.json["__type"] == .string("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"))
        #expect(response.json["message"] == .string("Requested resource not found"))
        let validation = await harness.call("GetItem", #"{"TableName":"x"}"#)
        #expect(validation.json["__type"] == .string("com.amazon.coral.validate#ValidationException"))
    }

    @Test("table names are validated", arguments: [
        (#"{}"#, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
        (#"{"TableName":"ab"}"#, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"),
        (#"{"TableName":"a b!"}"#, "1 validation error detected: Value 'a b!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ])
    func tableNames(body: String, message: String) async throws {
        let harness = try ServiceHarness()
        #expect(await harness.fails("DescribeTable", body) == ("ValidationException", message))
    }

    @Test("table ARNs are accepted as table names")
    func arns() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("arned")
        let described = await harness.ok("DescribeTable", #"{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/arned"}"#)
        #expect(described["Table"]?["TableName"] == .string("arned"))
    }

    @Test("request ids are unique, 52 characters of A-Z0-9")
    func requestIDs() {
        let generator = RequestIDGenerator()
        let ids = (0..<1000).map { _ in generator.next() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { $0.utf8.count == 52 && $0.utf8.allSatisfy { ExpressionLexer.isIdentifierPart($0) && $0 != UInt8(ascii: "_") } })
    }

    @Test("a closed service answers InternalServerError instead of crashing")
    func closed() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        harness.service.close()
        let response = await harness.call("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}}}"#)
        #expect(response.status == 500)
        #expect(response.errorType == "InternalServerError")
    }
}
