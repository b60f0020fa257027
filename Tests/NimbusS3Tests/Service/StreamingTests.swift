import Foundation
import Crypto
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct StreamingTests {
    @Test func largeBodiesStreamBothWays() async throws {
        let directory = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let body = (0..<(3 * 1024 * 1024 + 17)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let md5 = Hex.encode(Insecure.MD5.hash(data: body))
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            let put = try await client.s3(.put, "/bucket/large", bytes: body)
            #expect(put.headers[.eTag] == "\"\(md5)\"")
            let get = try await client.s3(.get, "/bucket/large")
            #expect(get.body.readableBytes == body.count)
            #expect(Array(get.body.readableBytesView) == body)
            let tail = try await client.s3(.get, "/bucket/large", headers: [.range: "bytes=-100000"])
            #expect(Array(tail.body.readableBytesView) == Array(body.suffix(100_000)))
        }
    }

    @Test func awsChunkedUploadWithTrailingChecksum() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            let headers = HTTPFields([
                "Content-Encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "x-amz-trailer": "x-amz-checksum-crc32", "x-amz-decoded-content-length": "11",
            ])
            let body = "6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
            let put = try await client.s3(.put, "/bucket/chunked", headers: headers, body: body)
            #expect(put.status == .ok)
            #expect(put.header("x-amz-checksum-crc32") == "DUoRhQ==")
            let get = try await client.s3(.get, "/bucket/chunked")
            #expect(get.text == "hello world")
            #expect(get.headers[.contentEncoding] == nil)

            let signature = String(repeating: "f", count: 64)
            let signed = HTTPFields([
                "Content-Encoding": "aws-chunked,gzip", "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                "x-amz-decoded-content-length": "3",
            ])
            let signedBody = "3;chunk-signature=\(signature)\r\nabc\r\n0;chunk-signature=\(signature)\r\n\r\n"
            #expect(try await client.s3(.put, "/bucket/signed", headers: signed, body: signedBody).status == .ok)
            let signedGet = try await client.s3(.get, "/bucket/signed")
            #expect(signedGet.text == "abc")
            #expect(signedGet.headers[.contentEncoding] == "gzip")

            var wrongLength = headers
            wrongLength[HTTPField.Name("x-amz-decoded-content-length")!] = "12"
            #expect(try await client.s3(.put, "/bucket/short", headers: wrongLength, body: body).errorCode == "IncompleteBody")
            var wrongSum = headers
            wrongSum[HTTPField.Name("x-amz-decoded-content-length")!] = "11"
            let tampered = body.replacingOccurrences(of: "DUoRhQ==", with: "AAAAAA==")
            #expect(try await client.s3(.put, "/bucket/bad", headers: wrongSum, body: tampered).errorCode == "BadDigest")
            #expect(try await client.s3(.put, "/bucket/bad", headers: headers, body: "zz\r\n").errorCode == "IncompleteBody")
            #expect(try await client.s3(.get, "/bucket/bad").errorCode == "NoSuchKey")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func awsChunked(_ body: [UInt8], chunkSize: Int, trailer: String) -> [UInt8] {
        var encoded: [UInt8] = []
        var start = 0
        while start < body.count {
            let end = min(start + chunkSize, body.count)
            encoded += Array("\(String(end - start, radix: 16))\r\n".utf8) + body[start..<end] + Array("\r\n".utf8)
            start = end
        }
        return encoded + Array("0\r\n\(trailer)\r\n\r\n".utf8)
    }

    /// Uploads large enough for MD5 to run on its own task and, with durable writes, for the body
    /// to be written back as it arrives; over a socket, so they arrive in many buffers.
    @Test func largeUploadsOverTheNetworkKeepTheirDigests() async throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path, configuration: S3Configuration(durableWrites: true))
        let body = Self.randomBytes(9 * 1024 * 1024 + 5)
        let md5 = Hex.encode(Insecure.MD5.hash(data: body))
        let sha256 = Hex.encode(SHA256.hash(data: body))
        try await S3Test.withLiveServer(service) { client in
            try await client.s3(.put, "/bucket")
            let plain = HTTPFields([
                "x-amz-content-sha256": sha256, "Content-MD5": Data(Insecure.MD5.hash(data: body)).base64EncodedString(),
            ])
            let put = try await client.s3(.put, "/bucket/plain", headers: plain, bytes: body)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.headers[.eTag] == "\"\(md5)\"")
            #expect(Array(try await client.s3(.get, "/bucket/plain").body.readableBytesView) == body)

            let checksum = Data(SHA256.hash(data: body)).base64EncodedString()
            let chunked = HTTPFields([
                "Content-Encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "x-amz-trailer": "x-amz-checksum-sha256", "x-amz-decoded-content-length": String(body.count),
            ])
            let encoded = Self.awsChunked(body, chunkSize: 65_536, trailer: "x-amz-checksum-sha256:\(checksum)")
            let chunkedPut = try await client.s3(.put, "/bucket/chunked", headers: chunked, bytes: encoded)
            #expect(chunkedPut.status == .ok, "\(chunkedPut.text)")
            #expect(chunkedPut.headers[.eTag] == "\"\(md5)\"")
            #expect(chunkedPut.header("x-amz-checksum-sha256") == checksum)
            #expect(Array(try await client.s3(.get, "/bucket/chunked").body.readableBytesView) == body)

            var wrongHash = plain
            wrongHash[HTTPField.Name("x-amz-content-sha256")!] = String(repeating: "0", count: 64)
            let mismatch = try await client.s3(.put, "/bucket/plain", headers: wrongHash, bytes: body)
            #expect(mismatch.errorCode == "XAmzContentSHA256Mismatch")
            #expect(try await client.s3(.head, "/bucket/plain").headers[.eTag] == "\"\(md5)\"")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/buckets/bucket/staging").isEmpty)
    }

    /// A failure in the middle of a large body (here: more bytes than the size limit) ends the
    /// upload at once and leaves nothing behind.
    @Test func largeUploadFailingMidwayLeavesNothing() async throws {
        let directory = try TemporaryDirectory()
        let configuration = S3Configuration(durableWrites: false, maximumObjectSize: 2 * 1024 * 1024)
        let body = Self.randomBytes(3 * 1024 * 1024)
        try await S3Test.withLiveServer(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            let headers = HTTPFields([
                "Content-Encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD",
                "x-amz-decoded-content-length": String(2 * 1024 * 1024),
            ])
            let encoded = Self.awsChunked(body, chunkSize: 65_536, trailer: "")
            let put = try await client.s3(.put, "/bucket/big", headers: headers, bytes: encoded)
            #expect(put.errorCode == "EntityTooLarge")
            #expect(try await client.s3(.get, "/bucket/big").errorCode == "NoSuchKey")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/buckets/bucket/staging").isEmpty)
    }
}
