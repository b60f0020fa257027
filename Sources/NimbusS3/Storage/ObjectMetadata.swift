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
    /// The S3 version ID; nil for the `null` version (every object of a bucket never versioned).
    var versionID: String?
    /// Orders a key's versions, newest last: nanoseconds, strictly increasing within a bucket.
    var versionStamp: Int64
    /// A versioned DELETE's marker: no body, and GET answers as if the key did not exist.
    var isDeleteMarker: Bool

    init(
        key: String, size: Int64, lastModified: Int64, etag: String, content: ContentHeaders = .init(),
        userMetadata: [String: String] = [:], checksums: [String: String] = [:], partSizes: [Int64] = [],
        settings: ObjectSettings = .init(), versionID: String? = nil, versionStamp: Int64? = nil,
        isDeleteMarker: Bool = false
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
        self.versionID = versionID
        self.versionStamp = versionStamp ?? lastModified * 1_000_000_000
        self.isDeleteMarker = isDeleteMarker
    }

    var summary: ObjectSummary {
        ObjectSummary(
            size: size, lastModified: lastModified, etag: etag, storageClass: settings.storageClass,
            versionID: versionID, versionStamp: versionStamp, isDeleteMarker: isDeleteMarker)
    }
}

/// What a listing shows of an object: kept in memory per key.
struct ObjectSummary: Sendable, Equatable {
    var size: Int64
    var lastModified: Int64
    var etag: String
    var storageClass: StorageClass = .standard
    var versionID: String? = nil
    var versionStamp: Int64 = 0
    var isDeleteMarker = false
    /// Which publish of this process put it in the index (``KeyIndex`` numbers them): two writes
    /// of the same bytes in the same second still differ, so "is this still the version I read"
    /// has an exact answer.
    var revision: UInt64 = 0
}
