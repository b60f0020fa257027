import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NimbusCore
import Testing

@testable import NimbusS3

@Suite struct TaggingOperationTests {
    static func tagging(_ pairs: [(String, String)]) -> String {
        let tags = pairs.map { "<Tag><Key>\($0.0)</Key><Value>\($0.1)</Value></Tag>" }.joined()
        return "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>\(tags)</TagSet></Tagging>"
    }

    static func tags(_ response: TestResponse) -> [String] {
        (response.xml?.child("TagSet")?.children("Tag") ?? []).map { "\($0.value("Key") ?? "")=\($0.value("Value") ?? "")" }
    }

    @Test func objectTaggingLifecycle() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", headers: HTTPFields(["x-amz-tagging": "team=storage&tier=hot"]), body: "data")
            let head = try await client.s3(.head, "/bucket/k")
            #expect(head.header("x-amz-tagging-count") == "2")
            #expect(Self.tags(try await client.s3(.get, "/bucket/k?tagging")) == ["team=storage", "tier=hot"])

            let put = try await client.s3(.put, "/bucket/k?tagging", body: Self.tagging([("only", "one")]))
            #expect(put.status == .ok)
            #expect(Self.tags(try await client.s3(.get, "/bucket/k?tagging")) == ["only=one"])
            let after = try await client.s3(.get, "/bucket/k")
            #expect(after.text == "data")
            #expect(after.header("x-amz-tagging-count") == "1")
            // Tagging is not a new version: same ETag, same Last-Modified.
            #expect(after.headers[.eTag] == head.headers[.eTag])
            #expect(after.headers[.lastModified] == head.headers[.lastModified])

            #expect(try await client.s3(.delete, "/bucket/k?tagging").status == .noContent)
            let untagged = try await client.s3(.get, "/bucket/k?tagging")
            #expect(untagged.status == .ok)
            #expect(untagged.xml?.child("TagSet")?.children.isEmpty == true)
            #expect(try await client.s3(.head, "/bucket/k").header("x-amz-tagging-count") == nil)
            #expect(try await client.s3(.get, "/bucket/k").text == "data")
        }
    }

    @Test func objectTaggingErrors() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", body: "data")
            #expect(try await client.s3(.get, "/bucket/missing?tagging").errorCode == "NoSuchKey")
            #expect(try await client.s3(.put, "/bucket/missing?tagging", body: Self.tagging([])).errorCode == "NoSuchKey")
            #expect(try await client.s3(.delete, "/bucket/missing?tagging").errorCode == "NoSuchKey")
            #expect(try await client.s3(.get, "/nobucket/k?tagging").errorCode == "NoSuchBucket")
            #expect(try await client.s3(.put, "/bucket/k?tagging", body: "<Tagging><TagSet>").errorCode == "MalformedXML")
            #expect(try await client.s3(.put, "/bucket/k?tagging", body: "").errorCode == "MalformedXML")
            let eleven = (0..<11).map { ("k\($0)", "v") }
            let tooMany = try await client.s3(.put, "/bucket/k?tagging", body: Self.tagging(eleven))
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.errorCode == "BadRequest")
            let duplicate = try await client.s3(.put, "/bucket/k?tagging", body: Self.tagging([("a", "1"), ("a", "2")]))
            #expect(duplicate.errorCode == "InvalidTag")
            #expect(duplicate.xml?.value("TagKey") == "a")
            let longKey = try await client.s3(.put, "/bucket/k?tagging", body: Self.tagging([(String(repeating: "x", count: 129), "")]))
            #expect(longKey.errorCode == "InvalidTag")
            // A refused header loses nothing: the object stays as it was.
            let badHeader = try await client.s3(.put, "/bucket/k", headers: HTTPFields(["x-amz-tagging": "a=1&a=2"]), body: "new")
            #expect(badHeader.errorCode == "InvalidArgument")
            #expect(try await client.s3(.get, "/bucket/k").text == "data")
            #expect(Self.tags(try await client.s3(.get, "/bucket/k?tagging")) == [])
        }
    }

    @Test func tagsThroughMultipartAndCopy() async throws {
        let directory = try TemporaryDirectory()
        let configuration = S3Configuration(durableWrites: false, minimumPartSize: 1)
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            let created = try await client.s3(.post, "/bucket/big?uploads", headers: HTTPFields(["x-amz-tagging": "stage=upload"]))
            let uploadID = try #require(created.xml?.value("UploadId"))
            // Not visible before the upload completes.
            #expect(try await client.s3(.get, "/bucket/big?tagging").errorCode == "NoSuchKey")
            let part = try await client.s3(.put, "/bucket/big?partNumber=1&uploadId=\(uploadID)", body: "part one")
            let etag = try #require(part.headers[.eTag])
            let complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\(etag)</ETag></Part></CompleteMultipartUpload>"
            #expect(try await client.s3(.post, "/bucket/big?uploadId=\(uploadID)", body: complete).status == .ok)
            #expect(Self.tags(try await client.s3(.get, "/bucket/big?tagging")) == ["stage=upload"])

            // COPY (the default) keeps the source's tags; REPLACE takes the request's, or none.
            try await client.s3(.put, "/bucket/copied", headers: HTTPFields(["x-amz-copy-source": "/bucket/big", "x-amz-tagging": "ignored=yes"]))
            #expect(Self.tags(try await client.s3(.get, "/bucket/copied?tagging")) == ["stage=upload"])
            try await client.s3(.put, "/bucket/replaced", headers: HTTPFields([
                "x-amz-copy-source": "/bucket/big", "x-amz-tagging-directive": "REPLACE", "x-amz-tagging": "stage=copy",
            ]))
            #expect(Self.tags(try await client.s3(.get, "/bucket/replaced?tagging")) == ["stage=copy"])
            try await client.s3(.put, "/bucket/bare", headers: HTTPFields(["x-amz-copy-source": "/bucket/big", "x-amz-tagging-directive": "REPLACE"]))
            #expect(Self.tags(try await client.s3(.get, "/bucket/bare?tagging")) == [])
            let bad = try await client.s3(.put, "/bucket/x", headers: HTTPFields(["x-amz-copy-source": "/bucket/big", "x-amz-tagging-directive": "MERGE"]))
            #expect(bad.errorCode == "InvalidArgument")
        }
    }

    @Test func tagsAndBucketTagsSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        let durable = S3Configuration(durableWrites: true)
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: durable)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", headers: HTTPFields(["x-amz-tagging": "a=1"]), body: String(repeating: "x", count: 100_000))
            try await client.s3(.put, "/bucket/small", body: "s")
            #expect(try await client.s3(.put, "/bucket/small?tagging", body: Self.tagging([("b", "2")])).status == .ok)
            #expect(try await client.s3(.put, "/bucket?tagging", body: Self.tagging([("owner", "me")])).status == .noContent)
        }
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: durable)) { client in
            let large = try await client.s3(.get, "/bucket/k?tagging")
            #expect(Self.tags(large) == ["a=1"])
            #expect(Self.tags(try await client.s3(.get, "/bucket/small?tagging")) == ["b=2"])
            #expect(try await client.s3(.get, "/bucket/small").text == "s")
            #expect(Self.tags(try await client.s3(.get, "/bucket?tagging")) == ["owner=me"])
        }
    }

    @Test func bucketTagging() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            let none = try await client.s3(.get, "/bucket?tagging")
            #expect(none.status == .notFound)
            #expect(none.errorCode == "NoSuchTagSet")
            #expect(try await client.s3(.put, "/bucket?tagging", body: Self.tagging([("b", "2"), ("a", "1")])).status == .noContent)
            #expect(Self.tags(try await client.s3(.get, "/bucket?tagging")) == ["a=1", "b=2"])
            let fiftyOne = (0..<51).map { ("k\($0)", "v") }
            #expect(try await client.s3(.put, "/bucket?tagging", body: Self.tagging(fiftyOne)).errorCode == "BadRequest")
            #expect(try await client.s3(.put, "/bucket?tagging", body: Self.tagging(Array(fiftyOne.prefix(50)))).status == .noContent)
            #expect(try await client.s3(.put, "/bucket?tagging", body: Self.tagging([("aws:x", "1")])).errorCode == "InvalidTag")
            #expect(try await client.s3(.put, "/bucket?tagging", body: "<nope").errorCode == "MalformedXML")
            #expect(Self.tags(try await client.s3(.get, "/bucket?tagging")).count == 50)
            #expect(try await client.s3(.delete, "/bucket?tagging").status == .noContent)
            #expect(try await client.s3(.get, "/bucket?tagging").errorCode == "NoSuchTagSet")
            #expect(try await client.s3(.get, "/nobucket?tagging").errorCode == "NoSuchBucket")
            #expect(try await client.s3(.put, "/nobucket?tagging", body: Self.tagging([])).errorCode == "NoSuchBucket")
        }
    }

    @Test func templateTagsAreProvisionedAndFollowTheTemplate() async throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path)
        func definition(_ tags: [(String, String)]?) -> BucketDefinition {
            var properties: [String: JSONValue] = [:]
            if let tags {
                properties["Tags"] = .array(tags.map { .object(["Key": .string($0.0), "Value": .string($0.1)]) })
            }
            return BucketDefinition(logicalID: "Tagged", bucketName: "tagged", properties: .object(properties))
        }
        try service.provision(definition([("team", "storage")]))
        try service.provision(definition([("team", "storage")]))
        #expect(Self.tags(try await Self.get(service, "/tagged?tagging")) == ["team=storage"])
        try service.provision(definition([("team", "platform"), ("env", "dev")]))
        #expect(Self.tags(try await Self.get(try S3Test.service(directory.path), "/tagged?tagging")) == ["env=dev", "team=platform"])
        try service.provision(definition(nil))
        #expect(try await Self.get(service, "/tagged?tagging").errorCode == "NoSuchTagSet")
        #expect(throws: S3Error.self) { try service.provision(definition([("aws:cloudformation:stack-name", "x")])) }
    }

    static func get(_ service: S3Service, _ uri: String) async throws -> TestResponse {
        let box = ResponseBox()
        try await S3Test.withRouter(service) { client in box.response = try await client.s3(.get, uri) }
        return try #require(box.response)
    }

    final class ResponseBox: @unchecked Sendable {
        var response: TestResponse?
    }

    @Test func bucketJSONWithoutTheNewFieldsStillLoads() throws {
        let old = #"{"creationDate":1700000000,"lifecycleXML":null,"region":"eu-west-1"}"#
        let configuration = try BucketConfiguration.decode(Array(old.utf8))
        #expect(configuration == BucketConfiguration(creationDate: 1_700_000_000, region: "eu-west-1"))
        #expect(configuration.defaultEncryption == .s3Managed)
        var changed = configuration
        changed.tags = try TagSet(validating: [("a", "1")], for: .bucket)
        changed.encryption = BucketEncryption(encryption: .init(algorithm: .kms, kmsKeyID: "k"), bucketKeyEnabled: true)
        #expect(try BucketConfiguration.decode(try changed.encoded()) == changed)
    }

    /// A tagging write conditional on a version that was replaced meanwhile (here by the same
    /// bytes in the same second, so only the revision tells them apart) must not publish.
    @Test func staleRewriteNeverOverwritesANewerWrite() async throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path, clock: ManualClock())
        try await S3Test.withRouter(service) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", headers: HTTPFields(["x-amz-meta-v": "1"]), body: "same")
            let bucket = try service.store.bucket("bucket")
            let key = ObjectKey(trusted: "k")
            let stale = try #require(bucket.summary(of: key))
            try await client.s3(.put, "/bucket/k", headers: HTTPFields(["x-amz-meta-v": "2"]), body: "same")
            var newer = try #require(bucket.summary(of: key))
            newer.revision = stale.revision
            newer.versionStamp = stale.versionStamp
            #expect(newer == stale)  // indistinguishable but for the revision and stamp

            let writer = try bucket.writer(for: .object(key, condition: WriteCondition(unchanged: stale)))
            try Array("same".utf8).withUnsafeBytes { try writer.append($0) }
            #expect(throws: S3Error.self) {
                try writer.finish(ObjectMetadata(key: "k", size: 4, lastModified: stale.lastModified, etag: stale.etag))
            }
            #expect(try await client.s3(.head, "/bucket/k").header("x-amz-meta-v") == "2")
        }
    }

    /// PUTs one after the other while tagging writes run against the same key: the last PUT's
    /// bytes must be what remains, whatever the interleaving (a rewrite never resurrects the
    /// version it read).
    @Test func taggingNeverResurrectsAReplacedVersion() async throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path)
        try await S3Test.withRouter(service) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", body: "version 0")
            let bucket = try service.store.bucket("bucket")
            let writes = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for version in 1...writes {
                        try await client.s3(.put, "/bucket/k", headers: HTTPFields(["x-amz-meta-v": "\(version)"]), body: "version \(version)")
                    }
                }
                group.addTask {
                    for round in 0..<writes {
                        let tags = try TagSet(validating: [("round", "\(round)")], for: .object)
                        do {
                            _ = try await BlockingIO.run { try bucket.rewrite(ObjectKey(trusted: "k")) { $0.settings.tags = tags } }
                        } catch let error as S3Error where error.code == "OperationAborted" {
                            continue  // every attempt raced a PUT: allowed, and nothing was published
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await client.s3(.get, "/bucket/k")
            #expect(final.text == "version \(writes)")
            #expect(final.header("x-amz-meta-v") == "\(writes)")
        }
    }
}
