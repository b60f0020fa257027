/// An in-progress multipart upload: what CreateMultipartUpload fixed for the final object.
struct MultipartUpload: Sendable, Equatable {
    var id: String
    var key: String
    /// Unix seconds.
    var initiated: Int64
    var content: ContentHeaders
    var userMetadata: [String: String]
    var checksumAlgorithm: ChecksumAlgorithm?
    /// `x-amz-checksum-type: FULL_OBJECT`: the object's checksum covers all its bytes, instead of
    /// being composed from the parts' checksums (COMPOSITE, the default).
    var fullObjectChecksum: Bool = false
    /// Tags, storage class and encryption for the completed object.
    var settings: ObjectSettings = .init()

    /// 32 random lowercase hex digits: unguessable, and safe as a directory name.
    static func newID() -> String {
        Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
    }

    /// Only IDs of that exact shape reach the file system.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    init(
        id: String, key: String, initiated: Int64, content: ContentHeaders, userMetadata: [String: String],
        checksumAlgorithm: ChecksumAlgorithm?, fullObjectChecksum: Bool = false, settings: ObjectSettings = .init()
    ) {
        self.id = id
        self.key = key
        self.initiated = initiated
        self.content = content
        self.userMetadata = userMetadata
        self.checksumAlgorithm = checksumAlgorithm
        self.fullObjectChecksum = fullObjectChecksum
        self.settings = settings
    }
}
