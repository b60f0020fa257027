extension ObjectMetadata {
    /// 2 added the settings (tags, storage class, encryption) after the part sizes; files of
    /// version 1 still decode, with the settings every object had then (STANDARD, SSE-S3, no tags).
    static let formatVersion: UInt32 = 2

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
        return writer.bytes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(BinaryReader.Failure) {
        var reader = BinaryReader(bytes)
        let version = try reader.readUInt32()
        guard version == 1 || version == Self.formatVersion else { throw BinaryReader.Failure() }
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
        self.init(
            key: key, size: size, lastModified: lastModified, etag: etag, content: content,
            userMetadata: userMetadata, checksums: checksums, partSizes: partSizes, settings: settings)
    }
}
