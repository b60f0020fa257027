/// Everything S3 stores about an object besides its bytes, published together with them (on disk,
/// as the trailer of the object's file: see `ObjectFile`).
struct ObjectMetadata: Sendable, Equatable {
    var key: String
    var size: Int64
    /// Unix seconds.
    var lastModified: Int64
    /// Without quotes: an MD5 hex digest, or `<hex>-<parts>` for multipart objects.
    var etag: String
    var content: ContentHeaders
    /// `x-amz-meta-*` entries, names lowercased and without the prefix.
    var userMetadata: [String: String]
    /// Checksum algorithm name (`crc32`, `sha256`, …) → base64 value, as sent or computed.
    var checksums: [String: String]
    /// Part sizes of a multipart object, in order; empty for a single PUT.
    var partSizes: [Int64]
    /// Tags, storage class and encryption.
    var settings: ObjectSettings

    init(
        key: String, size: Int64, lastModified: Int64, etag: String, content: ContentHeaders = .init(),
        userMetadata: [String: String] = [:], checksums: [String: String] = [:], partSizes: [Int64] = [],
        settings: ObjectSettings = .init()
    ) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
        self.content = content
        self.userMetadata = userMetadata
        self.checksums = checksums
        self.partSizes = partSizes
        self.settings = settings
    }

    var summary: ObjectSummary {
        ObjectSummary(size: size, lastModified: lastModified, etag: etag, storageClass: settings.storageClass)
    }
}

/// What a listing shows of an object: kept in memory per key.
struct ObjectSummary: Sendable, Equatable {
    var size: Int64
    var lastModified: Int64
    var etag: String
    var storageClass: StorageClass = .standard
    /// Which publish of this process put it in the index (``KeyIndex`` numbers them): two writes
    /// of the same bytes in the same second still differ, so "is this still the version I read"
    /// has an exact answer.
    var revision: UInt64 = 0
}
