import Testing

@testable import NimbusS3

@Suite struct CompleteMultipartRequestTests {
    static let mib: Int64 = 1024 * 1024

    static func part(_ size: Int64, etag: String) -> ObjectMetadata {
        ObjectMetadata(key: "k", size: size, lastModified: 0, etag: etag)
    }

    static let uploaded: [Int: ObjectMetadata] = [
        1: part(5 * mib, etag: "e1"), 2: part(5 * mib, etag: "e2"), 3: part(1, etag: "e3"), 4: part(10, etag: "e4"),
    ]

    func validate(_ parts: [(Int, String)]) throws(S3Error) -> [ObjectMetadata] {
        try CompleteMultipartRequest(parts: parts.map { .init(number: $0.0, etag: $0.1) })
            .validate(against: Self.uploaded, minimumPartSize: 5 * Self.mib)
    }

    func code(_ parts: [(Int, String)]) -> String? {
        do {
            _ = try validate(parts)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func acceptsAscendingPartsWithMatchingETags() throws {
        #expect(try validate([(1, "e1"), (2, "e2"), (3, "e3")]).map(\.etag) == ["e1", "e2", "e3"])
        #expect(try validate([(2, "e2"), (4, "e4")]).map(\.size) == [5 * Self.mib, 10])  // gaps are fine
        #expect(try validate([(4, "e4")]).count == 1)  // one small part is fine
    }

    @Test func errorsInS3Order() {
        #expect(code([(2, "e2"), (1, "e1")]) == "InvalidPartOrder")
        #expect(code([(1, "e1"), (1, "e1")]) == "InvalidPartOrder")
        #expect(code([(1, "wrong"), (2, "e2")]) == "InvalidPart")
        #expect(code([(1, "e1"), (7, "e7")]) == "InvalidPart")
        #expect(code([(0, "e1")]) == "InvalidPart")
        #expect(code([(3, "e3"), (4, "e4")]) == "EntityTooSmall")
        #expect(code([(2, "x"), (1, "e1")]) == "InvalidPartOrder")  // order is checked first
    }

    @Test func parsesTheRequestDocument() throws {
        let document = try XMLReader.parse(
            "<CompleteMultipartUpload><Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>")
        #expect(try CompleteMultipartRequest(document).parts == [.init(number: 1, etag: "e1")])
        for bad in [
            "<CompleteMultipartUpload/>", "<Other><Part><ETag>e</ETag><PartNumber>1</PartNumber></Part></Other>",
            "<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><ETag>e</ETag><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>",
        ] {
            #expect(throws: S3Error.self) { try CompleteMultipartRequest(try XMLReader.parse(bad)) }
        }
    }

    @Test func multipartETagIsMD5OfConcatenatedPartMD5s() {
        // md5("a") and md5("b"); expected value computed with Python's hashlib.
        let etag = CompleteMultipartRequest.multipartETag([
            "0cc175b9c0f1b6a831c399e269772661", "92eb5ffee6ae2fec3ad71c777531578f",
        ])
        #expect(etag == "96e024ba2074fe77e8e965ba43a704be-2")
    }
}
