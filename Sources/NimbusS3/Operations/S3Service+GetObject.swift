import HTTPTypes
import Hummingbird

extension S3Service {
    /// Bodies up to this size are read with the metadata in one `pread` and sent as one buffer.
    static let smallObjectSize = 64 * 1024
    /// Larger bodies stream in chunks of this size, with the transport's back-pressure.
    static let streamChunkSize = 256 * 1024

    /// GetObject and HeadObject, with conditional requests, `Range`, `partNumber` and
    /// `response-*` overrides.
    func getObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let prefetch = request.isHead ? 0 : Self.smallObjectSize
        let version = try requestedVersion(request)
        let opened = try openRequested(
            key, version: version, in: bucket, method: request.method.rawValue, prefetch: prefetch)
        let metadata = opened.metadata
        switch Preconditions.evaluate(.request(request.headers), etag: metadata.etag, lastModified: metadata.lastModified) {
        case .proceed: break
        case .failed(let condition): throw S3Error.preconditionFailed(condition)
        case .notModified:
            throw S3Error.notModified(etag: metadata.etag, lastModified: HTTPDate.rfc1123(metadata.lastModified))
        }

        var headers = ObjectHeaders.response(for: metadata, query: request.query)
        headers.append(contentsOf: Self.versionHeaders(metadata.versionID, bucket: bucket, named: version != nil))
        var range: ClosedRange<Int64>?
        if let partNumber = try request.query.integer(
            "partNumber", in: 1...10_000, message: "Part number must be an integer between 1 and 10000, inclusive")
        {
            range = try partRange(metadata, partNumber: partNumber)
            headers[HTTPField.Name("x-amz-mp-parts-count")!] = String(max(metadata.partSizes.count, 1))
        } else {
            switch ByteRange.parse(request.headers[.range], size: metadata.size) {
            case .whole: break
            case .partial(let requested): range = requested
            case .unsatisfiable:
                throw S3Error.invalidRange(size: metadata.size, range: request.headers[.range] ?? "")
            }
        }
        if range == nil, request.header("x-amz-checksum-mode")?.uppercased() == "ENABLED" {
            ObjectHeaders.checksumHeaders(metadata, into: &headers)
        }
        let status: HTTPResponse.Status
        let length: Int64
        if let range {
            status = .partialContent
            length = Int64(range.count)
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(metadata.size)"
        } else {
            status = .ok
            length = metadata.size
        }
        headers[.contentLength] = String(length)
        if request.isHead {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        return Response(status: status, headers: headers, body: body(of: opened, range: range))
    }

    /// The byte range of part `partNumber` of a multipart object (a single-part object has one
    /// part: all of it).
    private func partRange(_ metadata: ObjectMetadata, partNumber: Int) throws -> ClosedRange<Int64>? {
        guard !metadata.partSizes.isEmpty else {
            guard partNumber == 1 else {
                throw S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable")
            }
            return nil
        }
        guard partNumber <= metadata.partSizes.count else {
            throw S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable")
        }
        let start = metadata.partSizes[..<(partNumber - 1)].reduce(0, +)
        let size = metadata.partSizes[partNumber - 1]
        guard size > 0 else { return nil }
        return start...(start + size - 1)
    }

    private func body(of opened: StoredObject, range: ClosedRange<Int64>?) -> ResponseBody {
        let range = range ?? (opened.metadata.size > 0 ? 0...(opened.metadata.size - 1) : nil)
        guard let range else { return ResponseBody() }
        if let small = opened.body, let slice = small.getSlice(at: Int(range.lowerBound), length: range.count) {
            return ResponseBody(byteBuffer: slice)
        }
        let reader = opened.reader
        return ResponseBody(contentLength: range.count) { writer in
            var offset = range.lowerBound
            let end = range.upperBound + 1
            let allocator = ByteBufferAllocator()
            while offset < end {
                let length = Int(min(Int64(Self.streamChunkSize), end - offset))
                var buffer = allocator.buffer(capacity: length)
                try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
                    try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<length]), at: offset)
                    return length
                }
                try await writer.write(buffer)
                offset += Int64(length)
            }
            try await writer.finish(nil)
        }
    }
}
