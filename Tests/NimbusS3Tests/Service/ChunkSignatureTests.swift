import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NimbusSigV4
import Testing

@testable import NimbusS3

/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` uploads against a strict verifier: every chunk
/// signature (and the trailer signature) is checked, and a bad one fails the PUT with
/// SignatureDoesNotMatch and leaves nothing behind.
@Suite struct ChunkSignatureTests {
    static let credentials = SigV4Credentials(accessKeyID: "test", secretAccessKey: "test")
    static let host = "127.0.0.1:4566"

    /// A signed streaming PUT as an SDK sends it: headers with the seed signature, and the body's
    /// chunks each signed over the previous signature. `tamper` edits the finished body.
    struct StreamingUpload {
        var headers: HTTPFields
        var body: String

        /// - Parameter target: path and query, as sent.
        init(target: String, chunks: [String], trailer: (name: String, value: String)? = nil) {
            let date = Date()
            let payload = trailer == nil ? SigV4.streamingPayload : SigV4.streamingPayloadWithTrailer
            var request = SigV4Request(
                method: "PUT", target: target,
                headers: [
                    ("host", ChunkSignatureTests.host), ("content-encoding", "aws-chunked"),
                    ("x-amz-decoded-content-length", String(chunks.joined().utf8.count)),
                    ("x-amz-content-sha256", payload),
                ])
            if let trailer { request.headers.append(("x-amz-trailer", trailer.name)) }
            let signed = SigV4Signer.sign(
                request, payloadHash: payload, credentials: ChunkSignatureTests.credentials, region: "us-east-1",
                service: "s3", date: date)
            headers = HTTPFields()
            for (name, value) in signed.headers { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }

            let signer = SigV4ChunkSigner(
                credentials: ChunkSignatureTests.credentials, date: date, region: "us-east-1", service: "s3")
            let authorization = signed.headers.first { $0.name == "Authorization" }!.value
            var previous = String(authorization.split(separator: "Signature=").last!)
            body = ""
            for chunk in chunks + [""] {
                previous = signer.signature(forChunk: Array(chunk.utf8), previous: previous)
                body += String(chunk.utf8.count, radix: 16) + ";chunk-signature=\(previous)\r\n"
                body += chunk.isEmpty ? "" : chunk + "\r\n"
            }
            if let trailer {
                let line = "\(trailer.name):\(trailer.value)"
                let signature = signer.signature(forTrailers: Array((line + "\n").utf8), previous: previous)
                body += line + "\r\nx-amz-trailer-signature:\(signature)\r\n"
            }
            body += "\r\n"
        }
    }

    static func withStrictService(
        strict: Bool = true, _ test: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let verifier = SigV4PresignVerifier(credentials: [credentials], strict: strict)
        let service = try S3Test.service(directory.path, verifier: verifier)
        let path = directory.path
        try await S3Test.withRouter(service) { client in
            #expect(try await client.s3(.put, "/bucket").status == .ok)
            try await test(client, path)
        }
    }

    static func stagingIsEmpty(_ directory: String) throws -> Bool {
        try FileManager.default.contentsOfDirectory(atPath: directory + "/buckets/bucket/staging").isEmpty
    }

    @Test func validChunkSignaturesAreAccepted() async throws {
        try await Self.withStrictService { client, _ in
            let upload = StreamingUpload(target: "/bucket/k", chunks: ["hello ", String(repeating: "x", count: 5000), "world"])
            let put = try await client.s3(.put, "/bucket/k", headers: upload.headers, body: upload.body)
            #expect(put.status == .ok, "\(put.text)")
            #expect(try await client.s3(.get, "/bucket/k").text == "hello " + String(repeating: "x", count: 5000) + "world")
        }
    }

    /// Each way of breaking the chain of a `hello ` + `world` upload.
    enum Tampering: CaseIterable {
        case changedData, changedSignature, missingSignature, droppedChunk, changedFinalChunk

        func apply(to body: String) -> String {
            let signature = "[0-9a-f]{64}"
            switch self {
            case .changedData:
                return body.replacingOccurrences(of: "world", with: "w0rld")
            case .changedSignature:
                return body.replacingOccurrences(
                    of: "5;chunk-signature=\(signature)", with: "5;chunk-signature=" + String(repeating: "0", count: 64),
                    options: .regularExpression)
            case .missingSignature:
                return body.replacingOccurrences(
                    of: "5;chunk-signature=\(signature)", with: "5", options: .regularExpression)
            case .droppedChunk:
                return body.replacingOccurrences(
                    of: "6;chunk-signature=\(signature)\r\nhello \r\n", with: "", options: .regularExpression)
            case .changedFinalChunk:
                return body.replacingOccurrences(
                    of: "\n0;chunk-signature=\(signature)", with: "\n0;chunk-signature=" + String(repeating: "0", count: 64),
                    options: .regularExpression)
            }
        }
    }

    @Test(arguments: Tampering.allCases)
    func brokenChainFailsWithSignatureDoesNotMatch(_ tampering: Tampering) async throws {
        try await Self.withStrictService { client, directory in
            try await client.s3(.put, "/bucket/k", body: "original")
            let upload = StreamingUpload(target: "/bucket/k", chunks: ["hello ", "world"])
            let tampered = tampering.apply(to: upload.body)
            #expect(tampered != upload.body)
            let put = try await client.s3(.put, "/bucket/k", headers: upload.headers, body: tampered)
            #expect(put.status == .forbidden)
            #expect(put.errorCode == "SignatureDoesNotMatch", "\(put.text)")
            #expect(try await client.s3(.get, "/bucket/k").text == "original")
            #expect(try Self.stagingIsEmpty(directory))
        }
    }

    @Test func signedTrailerIsChecked() async throws {
        try await Self.withStrictService { client, directory in
            let crc = ("x-amz-checksum-crc32", "DUoRhQ==")  // "hello world"
            let upload = StreamingUpload(target: "/bucket/t", chunks: ["hello ", "world"], trailer: crc)
            let put = try await client.s3(.put, "/bucket/t", headers: upload.headers, body: upload.body)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.header("x-amz-checksum-crc32") == "DUoRhQ==")

            // A trailer changed after signing (here to another valid-looking checksum).
            let other = StreamingUpload(target: "/bucket/u", chunks: ["hello ", "world"], trailer: crc)
            let forged = other.body.replacingOccurrences(of: "DUoRhQ==", with: "AAAAAA==")
            let rejected = try await client.s3(.put, "/bucket/u", headers: other.headers, body: forged)
            #expect(rejected.errorCode == "SignatureDoesNotMatch")
            let unsigned = other.body.replacingOccurrences(
                of: #"x-amz-trailer-signature:[0-9a-f]{64}\r\n"#, with: "", options: .regularExpression)
            #expect(try await client.s3(.put, "/bucket/u", headers: other.headers, body: unsigned).errorCode == "SignatureDoesNotMatch")
            #expect(try await client.s3(.get, "/bucket/u").errorCode == "NoSuchKey")
            #expect(try Self.stagingIsEmpty(directory))
        }
    }

    @Test func uploadPartChecksChunksToo() async throws {
        try await Self.withStrictService { client, _ in
            let created = try await client.s3(.post, "/bucket/mp?uploads")
            let uploadID = try #require(created.xml?.value("UploadId"))
            let target = "/bucket/mp?partNumber=1&uploadId=\(uploadID)"
            let upload = StreamingUpload(target: target, chunks: ["part one"])
            let tampered = upload.body.replacingOccurrences(of: "part one", with: "part two")
            let rejected = try await client.s3(.put, target, headers: upload.headers, body: tampered)
            #expect(rejected.errorCode == "SignatureDoesNotMatch")
            #expect(try await client.s3(.get, "/bucket/mp?uploadId=\(uploadID)").xml?.child("Part") == nil)
            #expect(try await client.s3(.put, target, headers: upload.headers, body: upload.body).status == .ok)
            #expect(try await client.s3(.get, "/bucket/mp?uploadId=\(uploadID)").xml?.child("Part") != nil)
        }
    }

    /// Accept-any mode does not check the chain: its seed was never checked either.
    @Test func notCheckedWhenSignaturesAreNotStrict() async throws {
        try await Self.withStrictService(strict: false) { client, _ in
            let upload = StreamingUpload(target: "/bucket/k", chunks: ["hello ", "world"])
            let forged = Tampering.changedSignature.apply(to: upload.body)
            let put = try await client.s3(.put, "/bucket/k", headers: upload.headers, body: forged)
            #expect(put.status == .ok)
        }
    }
}
