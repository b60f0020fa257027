import Foundation
import Testing

@testable import NimbusSigV4

/// AWS's published streaming upload ("Example: PUT Object" in the S3 SigV4 chunked-upload docs):
/// 66560 bytes of `a` sent as a 64 KiB chunk, a 1 KiB chunk and the empty final chunk.
@Suite struct ChunkSignerTests {
    static let credentials = SigV4Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let date = SigV4Timestamp.parse("20130524T000000Z")!
    static let seedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    static let chunks: [(bytes: [UInt8], signature: String)] = [
        (
            [UInt8](repeating: UInt8(ascii: "a"), count: 65_536),
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
        ),
        (
            [UInt8](repeating: UInt8(ascii: "a"), count: 1_024),
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
        ),
        ([], "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"),
    ]

    static let request = SigV4Request(
        method: "PUT", rawPath: "/examplebucket/chunkObject.txt",
        headers: [
            (name: "Host", value: "s3.amazonaws.com"),
            (name: "x-amz-date", value: "20130524T000000Z"),
            (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY"),
            (name: "x-amz-content-sha256", value: SigV4.streamingPayload),
            (name: "Content-Encoding", value: "aws-chunked"),
            (name: "x-amz-decoded-content-length", value: "66560"),
            (name: "Content-Length", value: "66824"),
        ])

    @Test func seedSignatureMatchesAWSExample() {
        let header = SigV4Signer.authorizationHeader(
            for: Self.request, payloadHash: SigV4.streamingPayload, credentials: Self.credentials,
            region: "us-east-1", service: "s3", date: Self.date)
        #expect(
            header == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class, Signature=\(Self.seedSignature)")
    }

    @Test func chunkSignaturesChainLikeAWSExample() {
        let signer = SigV4ChunkSigner(
            credentials: Self.credentials, date: Self.date, region: "us-east-1", service: "s3")
        var previous = Self.seedSignature
        for chunk in Self.chunks {
            #expect(signer.signature(forChunk: chunk.bytes, previous: previous) == chunk.signature)
            previous = chunk.signature
        }
    }

    /// What the S3 service does with a streaming PUT: verify the seed, then each chunk with the
    /// signer the verifier hands back.
    @Test func verifierHandsBackAChunkSignerForTheSeed() throws {
        let verifier = SigV4Verifier(credentials: [Self.credentials], strict: true)
        let signed = Self.request.adding(
            "Authorization",
            SigV4Signer.authorizationHeader(
                for: Self.request, payloadHash: SigV4.streamingPayload, credentials: Self.credentials,
                region: "us-east-1", service: "s3", date: Self.date))
        let identity = try verifier.verify(signed, payloadHash: SigV4.streamingPayload, now: Self.date).get()
        let chunkSigner = try #require(identity.chunkSigner)
        #expect(identity.signature == Self.seedSignature)

        var previous = identity.signature
        for chunk in Self.chunks {
            #expect(chunkSigner.isValid(chunk.signature.uppercased(), forChunk: chunk.bytes, previous: previous))
            previous = chunk.signature
        }
        var corrupted = Self.chunks[1].bytes
        corrupted[10] = UInt8(ascii: "b")
        #expect(!chunkSigner.isValid(Self.chunks[1].signature, forChunk: corrupted, previous: Self.chunks[0].signature))
        #expect(
            !chunkSigner.isValid(
                Self.chunks[1].signature, forChunk: Self.chunks[1].bytes, previous: Self.seedSignature),
            "chunks cannot be reordered")
    }
}
