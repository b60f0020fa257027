extension ObjectWriter {
    static var copyChunkSize: Int { 1024 * 1024 }

    /// Appends a byte range of a stored object (CopyObject, UploadPartCopy, CompleteMultipartUpload)
    /// in bounded chunks, never more than one in memory, handing each to `observe` (digests).
    func append(
        from source: any ObjectReader, range: Range<Int64>, observe: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws {
        guard !range.isEmpty else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Int(min(Int64(Self.copyChunkSize), Int64(range.count))), alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let length = Int(min(Int64(buffer.count), range.upperBound - offset))
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[..<length])
            try source.read(into: chunk, at: offset)
            try append(UnsafeRawBufferPointer(chunk))
            observe(UnsafeRawBufferPointer(chunk))
            offset += Int64(length)
        }
    }
}
