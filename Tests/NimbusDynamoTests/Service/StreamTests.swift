import Foundation
import NimbusCore
import Testing

@testable import NimbusDynamo

@Suite("DynamoDB Streams")
struct StreamTests {
    static func streams(_ harness: ServiceHarness, _ operation: String, _ body: String) async -> ServiceHarness.Response {
        let response = await harness.service.handle(target: "DynamoDBStreams_20120810.\(operation)", body: Array(body.utf8))
        let json = (try? JSON.parse(response.body)) ?? .null
        return .init(status: response.status, headers: response.headers, json: json, text: String(decoding: response.body, as: UTF8.self))
    }

    /// A table with a NEW_AND_OLD_IMAGES stream and a TTL attribute, and a TRIM_HORIZON iterator on it.
    static func streamedTable(_ harness: ServiceHarness) async -> String {
        await harness.createTable(extra: #","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}"#)
        await harness.ok("UpdateTimeToLive", #"{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}"#)
        return await trimHorizon(harness)
    }

    static func trimHorizon(_ harness: ServiceHarness) async -> String {
        let arn = await harness.ok("DescribeTable", #"{"TableName":"tbl"}"#)["Table"]?["LatestStreamArn"]?.stringValue ?? ""
        let shard = await streams(harness, "DescribeStream", #"{"StreamArn":"\#(arn)"}"#)
            .json["StreamDescription"]?["Shards"]?[0]?["ShardId"]?.stringValue ?? ""
        return await streams(
            harness, "GetShardIterator", #"{"StreamArn":"\#(arn)","ShardId":"\#(shard)","ShardIteratorType":"TRIM_HORIZON"}"#
        ).json["ShardIterator"]?.stringValue ?? ""
    }

    @Test("GetRecords stops at 1 MB of images, and the next iterator goes on from there")
    func pagesStopAtOneMegabyte() async throws {
        let harness = try ServiceHarness()
        var iterator = await Self.streamedTable(harness)
        let big = String(repeating: "x", count: 390_000)
        for index in 0..<5 { await harness.put("tbl", #"{"pk":{"S":"k\#(index)"},"v":{"S":"\#(big)"}}"#) }
        var pages: [Int] = []
        for _ in 0..<5 {
            let page = await Self.streams(harness, "GetRecords", #"{"ShardIterator":"\#(iterator)"}"#).json
            guard let count = page["Records"]?.count, count > 0 else { break }
            pages.append(count)
            iterator = page["NextShardIterator"]?.stringValue ?? ""
        }
        #expect(pages == [3, 2])  // the page ends with the record that passes 1 MB
    }

    @Test("iterators expire after 15 minutes")
    func iteratorsExpire() async throws {
        let harness = try ServiceHarness()
        let iterator = await Self.streamedTable(harness)
        harness.now += 14 * 60
        #expect(await Self.streams(harness, "GetRecords", #"{"ShardIterator":"\#(iterator)"}"#).status == 200)
        harness.now += 2 * 60
        let expired = await Self.streams(harness, "GetRecords", #"{"ShardIterator":"\#(iterator)"}"#)
        #expect(expired.status == 400 && expired.errorType == "ExpiredIteratorException")
    }

    @Test("TTL deletions are records by the service; records go after 24 hours")
    func ttlRecordsAndRetention() async throws {
        let harness = try ServiceHarness()
        _ = await Self.streamedTable(harness)
        await harness.put("tbl", #"{"pk":{"S":"old"},"exp":{"N":"1000"}}"#)
        #expect(await harness.service.sweepExpired(now: Int64(harness.now)) == 1)
        var iterator = await Self.trimHorizon(harness)
        var records = await Self.streams(harness, "GetRecords", #"{"ShardIterator":"\#(iterator)"}"#).json["Records"]
        #expect(records?.count == 2)
        #expect(records?[1]?["eventName"] == .string("REMOVE"))
        #expect(records?[1]?["userIdentity"]?["type"] == .string("Service"))
        #expect(records?[0]?["userIdentity"] == nil)

        harness.now += 25 * 60 * 60
        _ = await harness.service.sweepExpired(now: Int64(harness.now))
        iterator = await Self.trimHorizon(harness)
        records = await Self.streams(harness, "GetRecords", #"{"ShardIterator":"\#(iterator)"}"#).json["Records"]
        #expect(records?.count == 0)
    }
}
