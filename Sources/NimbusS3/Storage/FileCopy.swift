/// Copies a byte range of a stored file into a staged file in bounded chunks (CopyObject,
/// UploadPartCopy, CompleteMultipartUpload): never more than one chunk in memory.
enum FileCopy {
    static let chunkSize = 1024 * 1024

    /// Copies, handing every copied chunk to `observe` (digests of the copied bytes).
    static func copy(
        from source: OpenFile, range: Range<Int64>, to destination: StagedFile,
        observe: (UnsafeRawBufferPointer) -> Void
    ) throws {
        guard !range.isEmpty else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Int(min(Int64(chunkSize), Int64(range.count))), alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let length = Int(min(Int64(buffer.count), range.upperBound - offset))
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[..<length])
            let count = try source.read(into: slice, at: offset)
            guard count == length else { throw ObjectFile.Corrupt(path: source.path) }
            let bytes = UnsafeRawBufferPointer(slice)
            try destination.append(bytes)
            observe(bytes)
            offset += Int64(count)
        }
    }
}
