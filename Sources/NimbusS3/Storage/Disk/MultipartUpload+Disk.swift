/// An upload on disk: its metadata file (`uploads/<id>/upload`) and its part files' names.
extension MultipartUpload {
    static let fileName = "upload"

    static func partFileName(_ partNumber: Int) -> String {
        let digits = String(partNumber)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    static func partNumber(fromFileName name: String) -> Int? {
        guard name.hasPrefix("part-") else { return nil }
        return Int(name.dropFirst(5))
    }

    /// 2 added the settings (tags, storage class, encryption) at the end; version 1 files of
    /// uploads begun before still decode, with the defaults.
    static let formatVersion: UInt32 = 2

    func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(Self.formatVersion)
        writer.write(id)
        writer.write(key)
        writer.write(initiated)
        content.encode(into: &writer)
        writer.write(userMetadata)
        writer.write(checksumAlgorithm?.rawValue)
        writer.write(fullObjectChecksum ? "FULL_OBJECT" : "COMPOSITE")
        settings.encode(into: &writer)
        return writer.bytes
    }

    init(decoding bytes: [UInt8]) throws(BinaryReader.Failure) {
        var reader = BinaryReader(bytes[...])
        let version = try reader.readUInt32()
        guard version == 1 || version == Self.formatVersion else { throw BinaryReader.Failure() }
        self.id = try reader.readString()
        self.key = try reader.readString()
        self.initiated = try reader.readInt64()
        self.content = try ContentHeaders(decoding: &reader)
        self.userMetadata = try reader.readDictionary()
        self.checksumAlgorithm = try reader.readOptionalString().flatMap(ChecksumAlgorithm.init(rawValue:))
        self.fullObjectChecksum = try reader.readString() == "FULL_OBJECT"
        self.settings = version == 1 ? ObjectSettings() : try ObjectSettings(decoding: &reader)
    }
}
