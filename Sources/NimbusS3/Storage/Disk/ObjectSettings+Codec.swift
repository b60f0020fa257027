/// Object settings in the on-disk metadata of objects and uploads.
extension ObjectSettings {
    func encode(into writer: inout BinaryWriter) {
        writer.write(UInt32(tags.count))
        for tag in tags.tags {
            writer.write(tag.key)
            writer.write(tag.value)
        }
        writer.write(storageClass.rawValue)
        writer.write(encryption.algorithm.rawValue)
        writer.write(encryption.kmsKeyID)
    }

    init(decoding reader: inout BinaryReader) throws(BinaryReader.Failure) {
        let tagCount = Int(try reader.readUInt32())
        guard tagCount <= TagSet.Owner.bucket.limit else { throw BinaryReader.Failure() }
        var tags: [TagSet.Tag] = []
        for _ in 0..<tagCount {
            tags.append(TagSet.Tag(key: try reader.readString(), value: try reader.readString()))
        }
        guard let storageClass = StorageClass(rawValue: try reader.readString()),
            let algorithm = ServerSideEncryption.Algorithm(rawValue: try reader.readString())
        else { throw BinaryReader.Failure() }
        self.init(
            tags: TagSet(trusted: tags), storageClass: storageClass,
            encryption: ServerSideEncryption(algorithm: algorithm, kmsKeyID: try reader.readOptionalString()))
    }
}
