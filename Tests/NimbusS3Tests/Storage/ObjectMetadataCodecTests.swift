import Testing

@testable import NimbusS3

@Suite struct ObjectMetadataCodecTests {
    /// The trailer of an object written by format version 1 (before settings were stored):
    /// key `k`, 3 bytes, Last-Modified 1700000000, ETag of "foo", `text/plain`, `x-amz-meta-a: b`.
    static let versionOneTrailer: [UInt8] = [
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x6b, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xf1, 0x53, 0x65, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x61, 0x63, 0x62, 0x64, 0x31, 0x38, 0x64,
        0x62, 0x34, 0x63, 0x63, 0x32, 0x66, 0x38, 0x35, 0x63, 0x65, 0x64, 0x65, 0x66, 0x36, 0x35, 0x34, 0x66, 0x63,
        0x63, 0x63, 0x34, 0x61, 0x34, 0x64, 0x38, 0x01, 0x0a, 0x00, 0x00, 0x00, 0x74, 0x65, 0x78, 0x74, 0x2f, 0x70,
        0x6c, 0x61, 0x69, 0x6e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x61,
        0x01, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    /// A multipart upload's metadata file of format version 1.
    static let versionOneUpload: [UInt8] = [
        0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
        0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62,
        0x63, 0x64, 0x65, 0x66, 0x03, 0x00, 0x00, 0x00, 0x62, 0x69, 0x67, 0x00, 0xf1, 0x53, 0x65, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x43, 0x4f,
        0x4d, 0x50, 0x4f, 0x53, 0x49, 0x54, 0x45,
    ]

    @Test func versionOneStillDecodesWithTheDefaults() throws {
        let metadata = try ObjectMetadata(decoding: Self.versionOneTrailer[...])
        #expect(
            metadata
                == ObjectMetadata(
                    key: "k", size: 3, lastModified: 1_700_000_000, etag: "acbd18db4cc2f85cedef654fccc4a4d8",
                    content: ContentHeaders(contentType: "text/plain"), userMetadata: ["a": "b"]))
        #expect(metadata.settings == ObjectSettings(tags: .empty, storageClass: .standard, encryption: .s3Managed))
        let upload = try MultipartUpload(decoding: Self.versionOneUpload)
        #expect(upload.key == "big")
        #expect(upload.settings == ObjectSettings())
    }

    @Test func settingsRoundTrip() throws {
        let settings = ObjectSettings(
            tags: try TagSet(validating: [("b", "2"), ("a", "")], for: .object), storageClass: .glacierIR,
            encryption: .init(algorithm: .kms, kmsKeyID: "alias/app"))
        let metadata = ObjectMetadata(
            key: "photos/cat.jpg", size: 10, lastModified: 1_700_000_123, etag: "abc-2",
            content: ContentHeaders(contentType: "image/jpeg", cacheControl: "no-cache"), userMetadata: ["x": "y"],
            checksums: ["crc32": "AAAAAA=="], partSizes: [5, 5], settings: settings)
        let encoded = metadata.encoded()
        #expect(encoded.prefix(4) == [3, 0, 0, 0])
        #expect(try ObjectMetadata(decoding: encoded[...]) == metadata)

        var upload = try MultipartUpload(decoding: Self.versionOneUpload)
        upload.settings = settings
        #expect(try MultipartUpload(decoding: upload.encoded()) == upload)
    }

    @Test func versionFieldsRoundTrip() throws {
        let marker = ObjectMetadata(
            key: "k", size: 0, lastModified: 1_700_000_000, etag: "", versionID: VersionID.make(stamp: 42),
            versionStamp: 42, isDeleteMarker: true)
        #expect(try ObjectMetadata(decoding: marker.encoded()[...]) == marker)
        let null = ObjectMetadata(key: "k", size: 1, lastModified: 1_700_000_001, etag: "e", versionStamp: 7)
        #expect(try ObjectMetadata(decoding: null.encoded()[...]) == null)
    }

    /// A trailer of format 2 (before versions) is its key's `null` version, stamped with its
    /// Last-Modified.
    @Test func versionTwoDecodesAsTheNullVersion() throws {
        let metadata = ObjectMetadata(key: "k", size: 3, lastModified: 1_700_000_000, etag: "e")
        var bytes = Array(metadata.encoded().dropLast(1 + 8 + 4))  // no version ID, stamp, marker flag
        bytes[0] = 2
        let decoded = try ObjectMetadata(decoding: bytes[...])
        #expect(decoded == metadata)
        #expect(decoded.versionID == nil && !decoded.isDeleteMarker)
        #expect(decoded.versionStamp == 1_700_000_000 * 1_000_000_000)
    }

    @Test func unknownVersionsAndTruncationAreRefused() {
        var future = Self.versionOneTrailer
        future[0] = 4
        #expect(throws: BinaryReader.Failure.self) { try ObjectMetadata(decoding: future[...]) }
        let current = ObjectMetadata(key: "k", size: 0, lastModified: 0, etag: "e").encoded()
        #expect(throws: BinaryReader.Failure.self) { try ObjectMetadata(decoding: current.dropLast()) }
    }
}
