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

    /// The streaming check S3 runs: chunks arrive in pieces of any size, are hashed as they pass,
    /// and each signature is checked when its chunk ends.
    @Test(arguments: [1, 1000, 65_536, 100_000])
    func streamingVerifierFollowsTheAWSExample(pieceSize: Int) {
        let signer = SigV4ChunkSigner(credentials: Self.credentials, date: Self.date, region: "us-east-1", service: "s3")
        var verifier = SigV4ChunkVerifier(signer: signer, seedSignature: Self.seedSignature)
        for chunk in Self.chunks {
            var start = 0
            while start < chunk.bytes.count {
                let end = min(start + pieceSize, chunk.bytes.count)
                chunk.bytes[start..<end].withUnsafeBytes { verifier.update($0) }
                start = end
            }
            let valid = verifier.finishChunk(signature: chunk.signature.uppercased())
            #expect(valid)
        }
    }

    @Test func streamingVerifierRejectsABrokenChain() {
        let signer = SigV4ChunkSigner(credentials: Self.credentials, date: Self.date, region: "us-east-1", service: "s3")
        var tampered = SigV4ChunkVerifier(signer: signer, seedSignature: Self.seedSignature)
        var bytes = Self.chunks[0].bytes
        bytes[0] = UInt8(ascii: "b")
        bytes.withUnsafeBytes { tampered.update($0) }
        let tamperedIsValid = tampered.finishChunk(signature: Self.chunks[0].signature)
        #expect(!tamperedIsValid)

        var skipping = SigV4ChunkVerifier(signer: signer, seedSignature: Self.seedSignature)
        Self.chunks[1].bytes.withUnsafeBytes { skipping.update($0) }
        let skippingIsValid = skipping.finishChunk(signature: Self.chunks[1].signature)
        #expect(!skippingIsValid, "the first chunk cannot be dropped")
    }

    /// The trailer signature over the AWS example's final chunk. AWS documents the string to sign
    /// (`AWS4-HMAC-SHA256-TRAILER`, timestamp, scope, previous signature, hex SHA-256 of the
    /// `name:value\n` lines) but no value for this body; the expected value was computed apart from
    /// this code, with Python's `hmac` and `hashlib`.
    @Test func trailerSignature() {
        let signer = SigV4ChunkSigner(credentials: Self.credentials, date: Self.date, region: "us-east-1", service: "s3")
        let trailers = Array("x-amz-checksum-crc32c:sOO8/Q==\n".utf8)
        let expected = "838d1eeafd0ec086f3e98ef47cfb73e3cf6fea3c489e22a61089fa643e8b4b61"
        #expect(signer.signature(forTrailers: trailers, previous: Self.chunks[2].signature) == expected)

        var verifier = SigV4ChunkVerifier(signer: signer, seedSignature: Self.seedSignature)
        for chunk in Self.chunks {
            chunk.bytes.withUnsafeBytes { verifier.update($0) }
            let valid = verifier.finishChunk(signature: chunk.signature)
            #expect(valid)
        }
        #expect(verifier.finishTrailers(trailers, signature: expected))
        #expect(!verifier.finishTrailers(Array("x-amz-checksum-crc32c:AAAAAA==\n".utf8), signature: expected))
    }
}
