import Crypto
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct MultipartOperationTests {
    /// Parts of at least 4 bytes, so tests stay small.
    static let configuration = S3Configuration(durableWrites: false, minimumPartSize: 4)

    static func withBucket(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            try await test(client)
        }
    }

    static func initiate(_ client: any TestClientProtocol, _ key: String, headers: HTTPFields = [:]) async throws -> String {
        let response = try await client.s3(.post, "/bucket/\(key)?uploads", headers: headers)
        #expect(response.status == .ok)
        return try #require(response.xml?.value("UploadId"))
    }

    static func complete(_ parts: [(Int, String)]) -> String {
        "<CompleteMultipartUpload>"
            + parts.map { "<Part><PartNumber>\($0.0)</PartNumber><ETag>\($0.1)</ETag></Part>" }.joined()
            + "</CompleteMultipartUpload>"
    }

    static func md5(_ text: String) -> [UInt8] { Array(Insecure.MD5.hash(data: Array(text.utf8))) }

    @Test func fullUpload() async throws {
        try await Self.withBucket { client in
            let id = try await Self.initiate(client, "big", headers: HTTPFields(["Content-Type": "text/plain", "x-amz-meta-k": "v"]))
            let e1 = try #require(try await client.s3(.put, "/bucket/big?partNumber=1&uploadId=\(id)", body: "aaaa").headers[.eTag])
            let e2 = try #require(try await client.s3(.put, "/bucket/big?partNumber=2&uploadId=\(id)", body: "bb").headers[.eTag])
            #expect(e1 == "\"\(Hex.encode(Self.md5("aaaa")))\"")
            // Re-uploading a part replaces it.
            let e2b = try #require(try await client.s3(.put, "/bucket/big?partNumber=2&uploadId=\(id)", body: "cc").headers[.eTag])
            let parts = try await client.s3(.get, "/bucket/big?uploadId=\(id)")
            #expect(parts.xml?.children("Part").compactMap { $0.value("ETag") } == [e1, e2b])
            #expect(parts.xml?.children("Part").compactMap { $0.value("Size") } == ["4", "2"])
            let uploads = try await client.s3(.get, "/bucket?uploads")
            #expect(uploads.xml?.child("Upload")?.value("UploadId") == id)

            #expect(try await client.s3(.post, "/bucket/big?uploadId=\(id)", body: Self.complete([(1, e1), (2, e2)])).errorCode == "InvalidPart")
            let done = try await client.s3(.post, "/bucket/big?uploadId=\(id)", body: Self.complete([(1, e1), (2, e2b)]))
            #expect(done.status == .ok)
            let expected = Hex.encode(Insecure.MD5.hash(data: Self.md5("aaaa") + Self.md5("cc"))) + "-2"
            #expect(done.xml?.value("ETag") == "\"\(expected)\"")
            let object = try await client.s3(.get, "/bucket/big")
            #expect(object.text == "aaaacc")
            #expect(object.headers[.eTag] == "\"\(expected)\"")
            #expect(object.headers[.contentType] == "text/plain")
            #expect(object.header("x-amz-meta-k") == "v")
            let part2 = try await client.s3(.get, "/bucket/big?partNumber=2")
            #expect(part2.status == .partialContent)
            #expect(part2.text == "cc")
            #expect(part2.headers[.contentRange] == "bytes 4-5/6")
            #expect(part2.header("x-amz-mp-parts-count") == "2")
            #expect(try await client.s3(.head, "/bucket/big?partNumber=3").status == .rangeNotSatisfiable)
            // The upload is gone.
            #expect(try await client.s3(.get, "/bucket/big?uploadId=\(id)").errorCode == "NoSuchUpload")
            #expect(try await client.s3(.get, "/bucket?uploads").xml?.child("Upload") == nil)
        }
    }

    @Test func completeValidation() async throws {
        try await Self.withBucket { client in
            let id = try await Self.initiate(client, "k")
            let small = try #require(try await client.s3(.put, "/bucket/k?partNumber=1&uploadId=\(id)", body: "abc").headers[.eTag])
            let next = try #require(try await client.s3(.put, "/bucket/k?partNumber=2&uploadId=\(id)", body: "abcdef").headers[.eTag])
            let uri = "/bucket/k?uploadId=\(id)"
            #expect(try await client.s3(.post, uri, body: Self.complete([(2, next), (1, small)])).errorCode == "InvalidPartOrder")
            #expect(try await client.s3(.post, uri, body: Self.complete([(1, small), (2, next)])).errorCode == "EntityTooSmall")
            #expect(try await client.s3(.post, uri, body: "<CompleteMultipartUpload/>").errorCode == "MalformedXML")
            #expect(try await client.s3(.post, uri, body: "garbage").errorCode == "MalformedXML")
            #expect(try await client.s3(.post, "/bucket/other?uploadId=\(id)", body: Self.complete([(1, small)])).errorCode == "NoSuchUpload")
            #expect(try await client.s3(.put, "/bucket/k?partNumber=0&uploadId=\(id)", body: "x").errorCode == "InvalidArgument")
            #expect(try await client.s3(.put, "/bucket/k?partNumber=10001&uploadId=\(id)", body: "x").errorCode == "InvalidArgument")
            #expect(try await client.s3(.post, uri, body: Self.complete([(2, next)])).status == .ok)
            #expect(try await client.s3(.get, "/bucket/k").text == "abcdef")
        }
    }

    @Test func abortAndBogusUploadIDs() async throws {
        try await Self.withBucket { client in
            let id = try await Self.initiate(client, "k")
            #expect(try await client.s3(.delete, "/bucket/k?uploadId=\(id)").status == .noContent)
            #expect(try await client.s3(.delete, "/bucket/k?uploadId=\(id)").errorCode == "NoSuchUpload")
            for bogus in ["..%2F..%2Fobjects", "abc", String(repeating: "0", count: 32), "%2Fetc%2Fpasswd"] {
                let response = try await client.s3(.put, "/bucket/k?partNumber=1&uploadId=\(bogus)", body: "x")
                #expect(response.status == .notFound)
                #expect(response.errorCode == "NoSuchUpload")
            }
        }
    }

    @Test func uploadPartCopy() async throws {
        try await Self.withBucket { client in
            try await client.s3(.put, "/bucket/source", body: "0123456789")
            let id = try await Self.initiate(client, "copy")
            let headers = HTTPFields(["x-amz-copy-source": "/bucket/source", "x-amz-copy-source-range": "bytes=2-5"])
            let copied = try await client.s3(.put, "/bucket/copy?partNumber=1&uploadId=\(id)", headers: headers)
            #expect(copied.status == .ok)
            let etag = try #require(copied.xml?.value("ETag"))
            #expect(etag == "\"\(Hex.encode(Self.md5("2345")))\"")
            let whole = try await client.s3(.put, "/bucket/copy?partNumber=2&uploadId=\(id)", headers: HTTPFields(["x-amz-copy-source": "bucket/source"]))
            let etag2 = try #require(whole.xml?.value("ETag"))
            let outside = HTTPFields(["x-amz-copy-source": "/bucket/source", "x-amz-copy-source-range": "bytes=5-10"])
            #expect(try await client.s3(.put, "/bucket/copy?partNumber=3&uploadId=\(id)", headers: outside).errorCode == "InvalidArgument")
            #expect(try await client.s3(.post, "/bucket/copy?uploadId=\(id)", body: Self.complete([(1, etag), (2, etag2)])).status == .ok)
            #expect(try await client.s3(.get, "/bucket/copy").text == "23450123456789")
        }
    }

    @Test func compositeChecksum() async throws {
        try await Self.withBucket { client in
            let id = try await Self.initiate(client, "sum", headers: HTTPFields(["x-amz-checksum-algorithm": "SHA256"]))
            let p1 = try await client.s3(.put, "/bucket/sum?partNumber=1&uploadId=\(id)", body: "part one")
            let p2 = try await client.s3(.put, "/bucket/sum?partNumber=2&uploadId=\(id)", body: "two")
            let c1 = try #require(p1.header("x-amz-checksum-sha256"))
            let c2 = try #require(p2.header("x-amz-checksum-sha256"))
            let done = try await client.s3(
                .post, "/bucket/sum?uploadId=\(id)",
                body: Self.complete([(1, p1.headers[.eTag]!), (2, p2.headers[.eTag]!)]))
            #expect(done.xml?.value("ChecksumSHA256") == ChecksumHasher.composite(.sha256, partValues: [c1, c2]))
            let head = try await client.s3(.head, "/bucket/sum", headers: HTTPFields(["x-amz-checksum-mode": "ENABLED"]))
            #expect(head.header("x-amz-checksum-type") == "COMPOSITE")
        }
    }
}
