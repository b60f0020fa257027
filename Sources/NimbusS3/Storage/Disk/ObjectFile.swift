import Hummingbird

/// The on-disk form of an object (and of an uploaded part): one file holding
/// `[body][metadata][UInt32 metadata length][8-byte magic]`.
///
/// Metadata is a trailer because it includes the MD5 and size, known only after the body has
/// streamed through; one file means one atomic rename publishes bytes and metadata together.
enum ObjectFile {
    static let magic: [UInt8] = Array("NIMBUSS3".utf8)
    static let footerLength = 12

    struct Corrupt: Error, CustomStringConvertible {
        var path: String
        var description: String { "corrupt object file \(path)" }
    }

    static func trailer(for metadata: ObjectMetadata) -> [UInt8] {
        var bytes = metadata.encoded()
        let length = UInt32(bytes.count)
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: magic)
        return bytes
    }

    /// Opens `path`; `nil` when there is no such object. Files up to `prefetch` bytes are read
    /// in a single `pread` (body and trailer together): the common small-object GET costs one read.
    static func open(_ path: String, prefetch: Int) throws -> StoredObject? {
        guard let descriptor = try POSIX.openForReading(path) else { return nil }
        let file = OpenFile(descriptor: descriptor, path: path)
        let fileSize = try POSIX.fileSize(descriptor, path: path)
        guard fileSize >= footerLength else { throw Corrupt(path: path) }
        let firstRead = fileSize <= Int64(prefetch) ? Int(fileSize) : min(Int(fileSize), 4096)
        let firstOffset = fileSize - Int64(firstRead)
        var buffer = ByteBufferAllocator().buffer(capacity: firstRead)
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: firstRead) { raw in
            try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<firstRead]), at: firstOffset)
            return firstRead
        }
        let metadata = try decodeTrailer(buffer, fileSize: fileSize, bufferOffset: firstOffset, file: file)
        let body = firstOffset == 0 ? buffer.getSlice(at: 0, length: Int(metadata.size)) : nil
        return StoredObject(metadata: metadata, reader: file, body: body)
    }

    private static func decodeTrailer(_ buffer: ByteBuffer, fileSize: Int64, bufferOffset: Int64, file: OpenFile) throws
        -> ObjectMetadata
    {
        let end = buffer.writerIndex
        guard buffer.getBytes(at: end - magic.count, length: magic.count) == magic,
            let length = buffer.getInteger(at: end - footerLength, endianness: .little, as: UInt32.self)
        else { throw Corrupt(path: file.path) }
        let metadataLength = Int(length)
        let metadataOffset = fileSize - Int64(footerLength) - Int64(metadataLength)
        guard metadataOffset >= 0 else { throw Corrupt(path: file.path) }
        let bytes: [UInt8]
        if metadataOffset >= bufferOffset {
            bytes = buffer.getBytes(at: Int(metadataOffset - bufferOffset), length: metadataLength) ?? []
        } else {
            var raw = [UInt8](repeating: 0, count: metadataLength)
            try raw.withUnsafeMutableBytes { try file.read(into: $0, at: metadataOffset) }
            bytes = raw
        }
        guard let metadata = try? ObjectMetadata(decoding: bytes[...]), metadata.size == metadataOffset else {
            throw Corrupt(path: file.path)
        }
        return metadata
    }
}
