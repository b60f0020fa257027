import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct ObjectOperationTests {
    static func withBucket(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            #expect(try await client.s3(.put, "/bucket").status == .ok)
            try await test(client)
        }
    }

    static func md5(_ text: String) -> String { Hex.encode(Insecure.MD5.hash(data: Array(text.utf8))) }

    @Test func objectAttributesNeedAValidList() async throws {
        try await Self.withBucket { client in
            try await client.s3(.put, "/bucket/k", body: "abc")
            let missing = try await client.s3(.get, "/bucket/k?attributes")
            #expect(missing.status == .badRequest && missing.errorCode == "InvalidRequest")
            let unknown = try await client.s3(
                .get, "/bucket/k?attributes", headers: HTTPFields(["x-amz-object-attributes": "ETag,Owner"]))
            #expect(unknown.errorCode == "InvalidArgument")
            let badPaging = try await client.s3(
                .get, "/bucket/k?attributes",
                headers: HTTPFields(["x-amz-object-attributes": "ObjectParts", "x-amz-max-parts": "-1"]))
            #expect(badPaging.errorCode == "InvalidArgument")
            let answer = try await client.s3(
                .get, "/bucket/k?attributes", headers: HTTPFields(["x-amz-object-attributes": " ETag , ObjectSize"]))
            #expect(answer.xml?.value("ETag") == Self.md5("abc"))
            #expect(answer.xml?.value("ObjectSize") == "3")
            #expect(answer.xml?.child("StorageClass") == nil)
        }
    }

    @Test func putGetHeadDelete() async throws {
        try await Self.withBucket { client in
            let put = try await client.s3(.put, "/bucket/dir/file.txt", body: "hello")
            #expect(put.status == .ok)
            #expect(put.headers[.eTag] == "\"\(Self.md5("hello"))\"")
            let get = try await client.s3(.get, "/bucket/dir/file.txt")
            #expect(get.status == .ok)
            #expect(get.text == "hello")
            #expect(get.headers[.eTag] == put.headers[.eTag])
            #expect(get.headers[.contentLength] == "5")
            #expect(get.headers[.acceptRanges] == "bytes")
            #expect(get.headers[.contentType] == "binary/octet-stream")
            let lastModified = try #require(get.headers[.lastModified])
            #expect(HTTPDate.parseHTTP(lastModified) != nil)
            let head = try await client.s3(.head, "/bucket/dir/file.txt")
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == "5")
            #expect(head.body.readableBytes == 0)
            #expect(try await client.s3(.delete, "/bucket/dir/file.txt").status == .noContent)
            #expect(try await client.s3(.delete, "/bucket/dir/file.txt").status == .noContent)
            let gone = try await client.s3(.get, "/bucket/dir/file.txt")
            #expect(gone.status == .notFound)
            #expect(gone.errorCode == "NoSuchKey")
            #expect(gone.xml?.value("Key") == "dir/file.txt")
            #expect(gone.xml?.value("RequestId") == gone.header("x-amz-request-id"))
        }
    }

    @Test func metadataAndContentHeadersRoundTrip() async throws {
        try await Self.withBucket { client in
            let headers = HTTPFields([
                "Content-Type": "text/csv", "Content-Encoding": "gzip", "Content-Disposition": "inline",
                "Cache-Control": "no-cache", "Content-Language": "fr", "Expires": "Thu, 01 Jan 2037 00:00:00 GMT",
                "x-amz-meta-Owner": "Team A", "x-amz-meta-empty": "",
            ])
            try await client.s3(.put, "/bucket/m", headers: headers, body: "a,b")
            for method in [HTTPRequest.Method.get, .head] {
                let response = try await client.s3(method, "/bucket/m")
                #expect(response.headers[.contentType] == "text/csv")
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.contentDisposition] == "inline")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.contentLanguage] == "fr")
                #expect(response.header("Expires") == "Thu, 01 Jan 2037 00:00:00 GMT")
                #expect(response.header("x-amz-meta-owner") == "Team A")
                #expect(response.header("x-amz-meta-empty") == "")
            }
            let overridden = try await client.s3(.get, "/bucket/m?response-content-type=text%2Fplain&response-cache-control=max-age%3D1")
            #expect(overridden.headers[.contentType] == "text/plain")
            #expect(overridden.headers[.cacheControl] == "max-age=1")
            let tooMuch = HTTPFields(["x-amz-meta-big": String(repeating: "v", count: 2100)])
            #expect(try await client.s3(.put, "/bucket/big", headers: tooMuch, body: "x").errorCode == "MetadataTooLarge")
        }
    }

    @Test func rangesAndConditionalRequests() async throws {
        try await Self.withBucket { client in
            let etag = try #require(try await client.s3(.put, "/bucket/digits", body: "0123456789").headers[.eTag])
            let partial = try await client.s3(.get, "/bucket/digits", headers: [.range: "bytes=2-4"])
            #expect(partial.status == .partialContent)
            #expect(partial.text == "234")
            #expect(partial.headers[.contentRange] == "bytes 2-4/10")
            #expect(partial.headers[.contentLength] == "3")
            let headPartial = try await client.s3(.head, "/bucket/digits", headers: [.range: "bytes=-2"])
            #expect(headPartial.status == .partialContent)
            #expect(headPartial.headers[.contentLength] == "2")
            let unsatisfiable = try await client.s3(.get, "/bucket/digits", headers: [.range: "bytes=20-"])
            #expect(unsatisfiable.status == .rangeNotSatisfiable)
            #expect(unsatisfiable.errorCode == "InvalidRange")
            #expect(unsatisfiable.xml?.value("ActualObjectSize") == "10")

            let notModified = try await client.s3(.get, "/bucket/digits", headers: [.ifNoneMatch: etag])
            #expect(notModified.status == .notModified)
            #expect(notModified.body.readableBytes == 0)
            #expect(notModified.headers[.eTag] == etag)
            let failed = try await client.s3(.get, "/bucket/digits", headers: [.ifMatch: "\"other\""])
            #expect(failed.status == .preconditionFailed)
            #expect(failed.xml?.value("Condition") == "If-Match")
            let lastModified = try #require(partial.headers[.lastModified])
            #expect(try await client.s3(.get, "/bucket/digits", headers: [.ifModifiedSince: lastModified]).status == .notModified)
            #expect(try await client.s3(.head, "/bucket/digits", headers: [.ifUnmodifiedSince: "Sat, 01 Jan 2000 00:00:00 GMT"]).status == .preconditionFailed)
            #expect(try await client.s3(.get, "/bucket/digits", headers: [.ifMatch: etag]).status == .ok)

            // Conditional writes.
            #expect(try await client.s3(.put, "/bucket/digits", headers: [.ifNoneMatch: "*"], body: "x").status == .preconditionFailed)
            #expect(try await client.s3(.put, "/bucket/fresh", headers: [.ifNoneMatch: "*"], body: "x").status == .ok)
            #expect(try await client.s3(.put, "/bucket/digits", headers: [.ifMatch: "\"nope\""], body: "x").status == .preconditionFailed)
            #expect(try await client.s3(.put, "/bucket/digits", headers: [.ifMatch: etag], body: "new").status == .ok)
        }
    }

    @Test func copyObject() async throws {
        try await Self.withBucket { client in
            try await client.s3(.put, "/other")
            let source = HTTPFields(["x-amz-meta-a": "1", "Content-Type": "text/plain"])
            let etag = try await client.s3(.put, "/bucket/src%20dir/ü+1", headers: source, body: "payload").headers[.eTag]
            let copied = try await client.s3(.put, "/other/dst", headers: HTTPFields(["x-amz-copy-source": "/bucket/src%20dir/%C3%BC%2B1"]))
            #expect(copied.status == .ok)
            #expect(copied.xml?.name == "CopyObjectResult")
            #expect(copied.xml?.value("ETag") == etag)
            let get = try await client.s3(.get, "/other/dst")
            #expect(get.text == "payload")
            #expect(get.header("x-amz-meta-a") == "1")
            #expect(get.headers[.contentType] == "text/plain")

            let replace = HTTPFields([
                "x-amz-copy-source": "bucket/src%20dir/%C3%BC%2B1", "x-amz-metadata-directive": "REPLACE",
                "x-amz-meta-b": "2",
            ])
            try await client.s3(.put, "/bucket/replaced", headers: replace)
            let replaced = try await client.s3(.head, "/bucket/replaced")
            #expect(replaced.header("x-amz-meta-b") == "2")
            #expect(replaced.header("x-amz-meta-a") == nil)
            #expect(replaced.headers[.contentType] == "binary/octet-stream")

            let onto = try await client.s3(.put, "/bucket/replaced", headers: HTTPFields(["x-amz-copy-source": "/bucket/replaced"]))
            #expect(onto.errorCode == "InvalidRequest")
            #expect(try await client.s3(.put, "/bucket/x", headers: HTTPFields(["x-amz-copy-source": "/bucket/missing"])).errorCode == "NoSuchKey")
            #expect(try await client.s3(.put, "/bucket/x", headers: HTTPFields(["x-amz-copy-source": "/nobucket/k"])).errorCode == "NoSuchBucket")
            #expect(try await client.s3(.put, "/bucket/x", headers: HTTPFields(["x-amz-copy-source": "justbucket"])).errorCode == "InvalidArgument")
            let conditional = HTTPFields(["x-amz-copy-source": "/bucket/replaced", "x-amz-copy-source-if-none-match": "*"])
            #expect(try await client.s3(.put, "/bucket/y", headers: conditional).status == .preconditionFailed)
        }
    }

    @Test func deleteObjectsBatch() async throws {
        try await Self.withBucket { client in
            for key in ["a", "b", "c"] { try await client.s3(.put, "/bucket/\(key)", body: "x") }
            let body = "<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Object><Key>zzz</Key></Object></Delete>"
            let md5 = Data(Insecure.MD5.hash(data: Array(body.utf8))).base64EncodedString()
            let result = try await client.s3(.post, "/bucket?delete", headers: HTTPFields(["Content-MD5": md5]), body: body)
            #expect(result.status == .ok)
            #expect(result.xml?.children("Deleted").compactMap { $0.value("Key") } == ["a", "b", "zzz"])
            let quiet = "<Delete><Quiet>true</Quiet><Object><Key>c</Key></Object><Object><Key>\(String(repeating: "k", count: 1100))</Key></Object></Delete>"
            let quietResult = try await client.s3(.post, "/bucket?delete", body: quiet)
            #expect(quietResult.xml?.children("Deleted").isEmpty == true)
            #expect(quietResult.xml?.child("Error")?.value("Code") == "KeyTooLongError")
            #expect(try await client.s3(.get, "/bucket?list-type=2").xml?.value("KeyCount") == "0")
            #expect(try await client.s3(.post, "/bucket?delete", body: "<Delete>").errorCode == "MalformedXML")
            #expect(try await client.s3(.post, "/bucket?delete", body: "<Delete/>").errorCode == "MalformedXML")
            #expect(try await client.s3(.post, "/bucket?delete", headers: HTTPFields(["Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="]), body: body).errorCode == "BadDigest")
        }
    }

    @Test func integrityChecks() async throws {
        try await Self.withBucket { client in
            let wrongMD5 = HTTPFields(["Content-MD5": Data(Insecure.MD5.hash(data: Array("other".utf8))).base64EncodedString()])
            #expect(try await client.s3(.put, "/bucket/k", headers: wrongMD5, body: "data").errorCode == "BadDigest")
            #expect(try await client.s3(.put, "/bucket/k", headers: HTTPFields(["Content-MD5": "short"]), body: "data").errorCode == "InvalidDigest")
            let wrongHash = HTTPFields(["x-amz-content-sha256": String(repeating: "0", count: 64)])
            #expect(try await client.s3(.put, "/bucket/k", headers: wrongHash, body: "data").errorCode == "XAmzContentSHA256Mismatch")
            let rightHash = HTTPFields(["x-amz-content-sha256": Hex.encode(SHA256.hash(data: Array("data".utf8)))])
            #expect(try await client.s3(.put, "/bucket/k", headers: rightHash, body: "data").status == .ok)
            let crc = HTTPFields(["x-amz-checksum-crc32": "DUoRhQ=="])
            let checked = try await client.s3(.put, "/bucket/sum", headers: crc, body: "hello world")
            #expect(checked.header("x-amz-checksum-crc32") == "DUoRhQ==")
            let withMode = try await client.s3(.get, "/bucket/sum", headers: HTTPFields(["x-amz-checksum-mode": "ENABLED"]))
            #expect(withMode.header("x-amz-checksum-crc32") == "DUoRhQ==")
            #expect(try await client.s3(.get, "/bucket/sum").header("x-amz-checksum-crc32") == nil)
            #expect(try await client.s3(.put, "/bucket/sum", headers: crc, body: "tampered").errorCode == "BadDigest")
            let two = HTTPFields(["x-amz-checksum-crc32": "DUoRhQ==", "x-amz-checksum-sha1": "x"])
            #expect(try await client.s3(.put, "/bucket/sum", headers: two, body: "hello world").errorCode == "InvalidRequest")
            #expect(try await client.s3(.get, "/bucket/sum").text == "hello world")
        }
    }

    @Test func keyErrors() async throws {
        try await Self.withBucket { client in
            let long = try await client.s3(.put, "/bucket/" + String(repeating: "k", count: 1025), body: "x")
            #expect(long.status == .badRequest)
            #expect(long.errorCode == "KeyTooLongError")
            #expect(try await client.s3(.put, "/bucket/" + String(repeating: "k", count: 1024), body: "x").status == .ok)
            #expect(try await client.s3(.put, "/bucket/nul%00byte", body: "x").errorCode == "InvalidArgument")
            #expect(try await client.s3(.get, "/bucket/k?versionId=abc").errorCode == "InvalidArgument")
            #expect(try await client.s3(.get, "/bucket/k?versionId=../../k").errorCode == "InvalidArgument")
            let unknown = VersionID.make(stamp: 1)
            #expect(try await client.s3(.get, "/bucket/k?versionId=\(unknown)").errorCode == "NoSuchVersion")
        }
    }
}
