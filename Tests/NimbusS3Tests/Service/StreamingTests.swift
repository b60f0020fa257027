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
}
