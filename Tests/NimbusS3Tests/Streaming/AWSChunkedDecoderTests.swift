import Testing

@testable import NimbusS3

@Suite struct AWSChunkedDecoderTests {
    static let signature = String(repeating: "a", count: 64)

    static func signedBody(_ chunks: [String]) -> String {
        var body = ""
        for chunk in chunks + [""] {
            body += "\(String(chunk.utf8.count, radix: 16));chunk-signature=\(signature)\r\n\(chunk)"
            body += chunk.isEmpty ? "" : "\r\n"
        }
        return body + "\r\n"
    }

    /// Decodes `body` fed in pieces of `pieceSize` bytes; returns the payload and trailers.
    static func decode(_ body: String, pieceSize: Int) throws -> (String, [String: String]) {
        var decoder = AWSChunkedDecoder()
        var output: [UInt8] = []
        let bytes = Array(body.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + pieceSize, bytes.count)
            try Array(bytes[start..<end]).withUnsafeBytes { piece in
                try decoder.decode(piece) { output.append(contentsOf: piece[$0]) }
            }
            start = end
        }
        try decoder.finish()
        return (String(decoding: output, as: UTF8.self), decoder.trailers)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 100_000])
    func signedChunksAnySplit(pieceSize: Int) throws {
        let payload = ["hello ", String(repeating: "x", count: 300), "world"]
        let (decoded, trailers) = try Self.decode(Self.signedBody(payload), pieceSize: pieceSize)
        #expect(decoded == payload.joined())
        #expect(trailers.isEmpty)
    }

    @Test(arguments: [1, 5, 1000])
    func unsignedChunksWithTrailer(pieceSize: Int) throws {
        let body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
        let (decoded, trailers) = try Self.decode(body, pieceSize: pieceSize)
        #expect(decoded == "hello world")
        #expect(trailers == ["x-amz-checksum-crc32": "DUoRhQ=="])
    }

    @Test func signedTrailerForm() throws {
        let body =
            "3;chunk-signature=\(Self.signature)\r\nabc\r\n0;chunk-signature=\(Self.signature)\r\n"
            + "x-amz-checksum-sha256:abc=\r\nx-amz-trailer-signature:\(Self.signature)\r\n\r\n"
        let (decoded, trailers) = try Self.decode(body, pieceSize: 4)
        #expect(decoded == "abc")
        #expect(trailers["x-amz-checksum-sha256"] == "abc=")
        #expect(trailers["x-amz-trailer-signature"] == Self.signature)
    }

    @Test func emptyPayload() throws {
        #expect(try Self.decode("0\r\n\r\n", pieceSize: 1).0 == "")
        #expect(try Self.decode(Self.signedBody([]), pieceSize: 3).0 == "")
    }

    @Test func lenientAboutAMissingFinalEmptyLine() throws {
        #expect(try Self.decode("2\r\nhi\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n", pieceSize: 3).0 == "hi")
    }

    @Test(arguments: [
        "5\r\nhel",  // ends inside a chunk
        "5\r\nhello",  // ends before the chunk's CRLF
        "5\r\nhello world\r\n0\r\n\r\n",  // chunk longer than declared
        "zz\r\nhello\r\n",  // not hex
        "\r\n",  // empty size
        "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n",  // trailer without colon
        "0\r\n\r\nextra",  // data after the end
        "",  // nothing at all
    ])
    func malformedBodiesFail(_ body: String) {
        #expect(throws: AWSChunkedDecoder.Failure.self) { try Self.decode(body, pieceSize: 2) }
    }

    @Test func oversizedHeaderLineFails() {
        #expect(throws: AWSChunkedDecoder.Failure.self) {
            try Self.decode(String(repeating: "1", count: 10_000), pieceSize: 512)
        }
    }
}

@Suite struct ChecksumHasherTests {
    /// Known values for "hello world" (botocore / AWS CLI agree).
    @Test(arguments: [
        (ChecksumAlgorithm.crc32, "DUoRhQ=="),
        (.crc32c, "yZRlqg=="),
        (.crc64nvme, "jSnVw/bqjr4="),
        (.sha1, "Kq5sNclPz7QV2+lfQIuc6R7oRu0="),
        (.sha256, "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
    ])
    func knownValues(_ algorithm: ChecksumAlgorithm, _ expected: String) {
        var hasher = ChecksumHasher(algorithm)
        hasher.update(Array("hello ".utf8))
        hasher.update(Array("world".utf8))
        #expect(hasher.value() == expected)
    }

    @Test func compositeChecksumOfParts() throws {
        var first = ChecksumHasher(.sha256)
        first.update(Array("part one".utf8))
        var second = ChecksumHasher(.sha256)
        second.update(Array("part two".utf8))
        var combined = ChecksumHasher(.sha256)
        combined.update(first.digest() + second.digest())
        let composite = ChecksumHasher.composite(.sha256, partValues: [first.value(), second.value()])
        #expect(composite == combined.value() + "-2")
        #expect(ChecksumHasher.composite(.sha256, partValues: ["not base64"]) == nil)
    }

    /// The table-driven CRCs against the bit-by-bit definition, for every length around the
    /// eight-byte steps, fed in uneven pieces.
    @Test(arguments: [(ChecksumAlgorithm.crc32, UInt64(0xEDB8_8320)), (.crc32c, 0x82F6_3B78), (.crc64nvme, 0x9A6C_9329_AC4B_C9B5)])
    func crcsMatchTheirDefinition(_ algorithm: ChecksumAlgorithm, _ polynomial: UInt64) {
        var generator = SystemRandomNumberGenerator()
        let width = algorithm.digestLength * 8
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var crc = mask
            for byte in bytes {
                crc ^= UInt64(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            }
            crc = ~crc & mask
            let expected = (0..<(width / 8)).map { UInt8(truncatingIfNeeded: crc >> UInt64(width - 8 - 8 * $0)) }
            var hasher = ChecksumHasher(algorithm)
            var start = 0
            while start < bytes.count {
                let end = min(start + 1 + start % 13, bytes.count)
                hasher.update(Array(bytes[start..<end]))
                start = end
            }
            #expect(hasher.digest() == expected, "\(algorithm) of \(length) bytes")
        }
    }
}
