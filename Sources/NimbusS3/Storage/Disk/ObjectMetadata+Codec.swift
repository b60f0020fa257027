extension ObjectMetadata {
    private static let formatVersion: UInt8 = 1

    func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(UInt32(Self.formatVersion))
        writer.write(key)
        writer.write(size)
        writer.write(lastModified)
        writer.write(etag)
        content.encode(into: &writer)
        writer.write(userMetadata)
        writer.write(checksums)
        writer.write(UInt32(partSizes.count))
        for size in partSizes { writer.write(size) }
        return writer.bytes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(BinaryReader.Failure) {
        var reader = BinaryReader(bytes)
        guard try reader.readUInt32() == UInt32(Self.formatVersion) else { throw BinaryReader.Failure() }
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
        self.init(
            key: key, size: size, lastModified: lastModified, etag: etag, content: content,
            userMetadata: userMetadata, checksums: checksums, partSizes: partSizes)
    }
}
