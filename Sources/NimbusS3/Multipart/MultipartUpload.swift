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

    static let fileName = "upload"

    /// 32 random lowercase hex digits: unguessable, and safe as a directory name.
    static func newID() -> String {
        Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
    }

    /// Only IDs of that exact shape reach the file system.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func partFileName(_ partNumber: Int) -> String {
        let digits = String(partNumber)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    static func partNumber(fromFileName name: String) -> Int? {
        guard name.hasPrefix("part-") else { return nil }
        return Int(name.dropFirst(5))
    }

    func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(UInt32(1))
        writer.write(id)
        writer.write(key)
        writer.write(initiated)
        writer.write(content.contentType)
        writer.write(content.contentEncoding)
        writer.write(content.contentDisposition)
        writer.write(content.cacheControl)
        writer.write(content.contentLanguage)
        writer.write(content.expires)
        writer.write(userMetadata)
        writer.write(checksumAlgorithm?.rawValue)
        writer.write(fullObjectChecksum ? "FULL_OBJECT" : "COMPOSITE")
        return writer.bytes
    }

    init(
        id: String, key: String, initiated: Int64, content: ContentHeaders, userMetadata: [String: String],
        checksumAlgorithm: ChecksumAlgorithm?, fullObjectChecksum: Bool = false
    ) {
        self.id = id
        self.key = key
        self.initiated = initiated
        self.content = content
        self.userMetadata = userMetadata
        self.checksumAlgorithm = checksumAlgorithm
        self.fullObjectChecksum = fullObjectChecksum
    }

    init(decoding bytes: [UInt8]) throws(BinaryReader.Failure) {
        var reader = BinaryReader(bytes[...])
        guard try reader.readUInt32() == 1 else { throw BinaryReader.Failure() }
        self.id = try reader.readString()
        self.key = try reader.readString()
        self.initiated = try reader.readInt64()
        self.content = ContentHeaders(
            contentType: try reader.readOptionalString(), contentEncoding: try reader.readOptionalString(),
            contentDisposition: try reader.readOptionalString(), cacheControl: try reader.readOptionalString(),
            contentLanguage: try reader.readOptionalString(), expires: try reader.readOptionalString())
        self.userMetadata = try reader.readDictionary()
        self.checksumAlgorithm = try reader.readOptionalString().flatMap(ChecksumAlgorithm.init(rawValue:))
        self.fullObjectChecksum = try reader.readString() == "FULL_OBJECT"
    }
}
