extension ObjectMetadata {
    /// 2 added the settings (tags, storage class, encryption) after the part sizes, 3 the version
    /// (ID, stamp, delete marker) after them; older files still decode, with what every object had
    /// then (STANDARD, SSE-S3, no tags; the `null` version, stamped with its Last-Modified).
    static let formatVersion: UInt32 = 3

    func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(Self.formatVersion)
        writer.write(key)
        writer.write(size)
        writer.write(lastModified)
        writer.write(etag)
        content.encode(into: &writer)
        writer.write(userMetadata)
        writer.write(checksums)
        writer.write(UInt32(partSizes.count))
        for size in partSizes { writer.write(size) }
        settings.encode(into: &writer)
        writer.write(versionID)
        writer.write(versionStamp)
        writer.write(UInt32(isDeleteMarker ? 1 : 0))
        return writer.bytes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(BinaryReader.Failure) {
        var reader = BinaryReader(bytes)
        let version = try reader.readUInt32()
        guard (1...Self.formatVersion).contains(version) else { throw BinaryReader.Failure() }
        let key = try reader.readString()
        let size = try reader.readInt64()
        let lastModified = try reader.readInt64()
        let etag = try reader.readString()
        let content = try ContentHeaders(decoding: &reader)
        let userMetadata = try reader.readDictionary()
        let checksums = try reader.readDictionary()
        let partCount = Int(try reader.readUInt32())
        guard partCount <= 10_000 else { throw BinaryReader.Failure() }
        var partSizes: [Int64] = []
        partSizes.reserveCapacity(partCount)
        for _ in 0..<partCount { partSizes.append(try reader.readInt64()) }
        let settings = version == 1 ? ObjectSettings() : try ObjectSettings(decoding: &reader)
        var versionID: String?
        var versionStamp: Int64?
        var isDeleteMarker = false
        if version >= 3 {
            versionID = try reader.readOptionalString()
            versionStamp = try reader.readInt64()
            isDeleteMarker = try reader.readUInt32() == 1
        }
        self.init(
            key: key, size: size, lastModified: lastModified, etag: etag, content: content,
            userMetadata: userMetadata, checksums: checksums, partSizes: partSizes, settings: settings,
            versionID: versionID, versionStamp: versionStamp, isDeleteMarker: isDeleteMarker)
    }
}
