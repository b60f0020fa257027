import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct DurabilityTests {
    @Test func acknowledgedWritesSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        let configuration = S3Configuration(durableWrites: true, minimumPartSize: 1)
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/a", headers: HTTPFields(["x-amz-meta-k": "v"]), body: "one")
            try await client.s3(.put, "/bucket/b/c", body: "two")
            let lifecycle = "<LifecycleConfiguration><Rule><Status>Enabled</Status><Filter/><Expiration><Days>3</Days></Expiration></Rule></LifecycleConfiguration>"
            #expect(try await client.s3(.put, "/bucket?lifecycle", body: lifecycle).status == .ok)
            #expect(try await client.s3(.post, "/bucket/pending?uploads").status == .ok)
        }
        // A new process over the same directory.
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            let a = try await client.s3(.get, "/bucket/a")
            #expect(a.text == "one")
            #expect(a.header("x-amz-meta-k") == "v")
            let listing = try await client.s3(.get, "/bucket?list-type=2")
            #expect(listing.xml?.children("Contents").compactMap { $0.value("Key") } == ["a", "b/c"])
            #expect(try await client.s3(.get, "/bucket?lifecycle").xml?.child("Rule") != nil)
            #expect(try await client.s3(.get, "/bucket?uploads").xml?.child("Upload")?.value("Key") == "pending")
        }
    }

    @Test func interruptedWritesNeverBecomeVisible() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/kept", body: "kept")
        }
        let root = directory.path + "/buckets/bucket"
        // What a crash can leave behind: a half-written staging file, a bucket being created, a
        // truncated object file, an upload directory without metadata.
        try Data("half an upload".utf8).write(to: URL(fileURLWithPath: root + "/staging/tmp-crashed"))
        try FileManager.default.createDirectory(atPath: directory.path + "/buckets/.half-made-1234", withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: root + "/objects/" + String(repeating: "ab", count: 32)))
        try FileManager.default.createDirectory(atPath: root + "/uploads/" + String(repeating: "c", count: 32), withIntermediateDirectories: true)

        let service = try S3Test.service(directory.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/staging").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/buckets/.half-made-1234"))
        try await S3Test.withRouter(service) { client in
            let listing = try await client.s3(.get, "/bucket?list-type=2")
            #expect(listing.xml?.children("Contents").compactMap { $0.value("Key") } == ["kept"])
            #expect(try await client.s3(.get, "/bucket?uploads").xml?.child("Upload") == nil)
            #expect(try await client.s3(.get, "/").xml?.child("Buckets")?.children("Bucket").count == 1)
        }
    }

    @Test func failedUploadLeavesNothingBehind() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", body: "original")
            let bad = HTTPFields(["x-amz-checksum-crc32": "AAAAAA=="])
            #expect(try await client.s3(.put, "/bucket/k", headers: bad, body: "replacement").errorCode == "BadDigest")
            #expect(try await client.s3(.get, "/bucket/k").text == "original")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/buckets/bucket/staging").isEmpty)
    }

    /// Every file Nimbus creates for hostile keys lives in the bucket's `objects/` directory.
    @Test func hostileKeysStayInsideTheBucket() async throws {
        let directory = try TemporaryDirectory()
        let keys = [
            "..", "../escape", "..%2F..%2Foutside", "%2E%2E/%2E%2E/x", "a/./b", "/leading", "a//b", "trailing/",
            String(repeating: "..%2F", count: 100) + "etc%2Fpasswd", "back%5Cslash", String(repeating: "k", count: 1024),
        ]
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            for key in keys {
                let response = try await client.s3(.put, "/bucket/\(key)", body: key)
                #expect(response.status == .ok, "\(key)")
                #expect(try await client.s3(.get, "/bucket/\(key)").text == key)
            }
            let listing = try await client.s3(.get, "/bucket?list-type=2")
            #expect(listing.xml?.value("KeyCount") == String(keys.count))
        }
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory.path))
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory.path + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(path) }
        }
        let objectFiles = files.filter { $0.hasPrefix("buckets/bucket/objects/") }
        #expect(objectFiles.count == keys.count)
        #expect(Set(files).subtracting(objectFiles) == ["buckets/bucket/bucket.json"])
        #expect(objectFiles.allSatisfy { $0.split(separator: "/").last!.count == 64 })
    }
}
