import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NimbusSigV4

/// Streams an upload body into storage: never more than a few megabytes in memory, written and
/// hashed (MD5, and SHA-256 / `x-amz-checksum-*` when asked for) on pool threads
/// (``UploadPipeline``), `aws-chunked` decoded (and its chunk signatures checked) on the fly, and
/// every integrity claim of the request checked before the body can become visible.
enum BodyReceiver {
    static func isAWSChunked(_ headers: HTTPFields) -> Bool {
        if let encoding = headers[.contentEncoding], encoding.lowercased().contains("aws-chunked") { return true }
        return headers[contentSHA256]?.hasPrefix("STREAMING-") ?? false
    }

    static let contentSHA256 = HTTPField.Name("x-amz-content-sha256")!
    static let decodedContentLength = HTTPField.Name("x-amz-decoded-content-length")!

    /// Writes the body into a new writer for `target`; on failure the writer is discarded.
    ///
    /// - Parameters:
    ///   - defaultChecksum: computed when the request names no checksum itself (the algorithm a
    ///     multipart upload was created with).
    ///   - chunkSignatures: checks an `aws-chunked` body's chunk signatures (strict mode).
    static func receive(
        _ request: S3Request, into bucket: any BucketStore, as target: WriteTarget, maximumSize: Int64,
        defaultChecksum: ChecksumAlgorithm? = nil, chunkSignatures: SigV4ChunkVerifier? = nil
    ) async throws -> ReceivedBody {
        try await receive(
            request.body, headers: request.headers, into: bucket, as: target, maximumSize: maximumSize,
            defaultChecksum: defaultChecksum, chunkSignatures: chunkSignatures)
    }

    /// The same for a body that is not a request's own (the file of a POST form), described by
    /// `headers`.
    static func receive<Body: AsyncSequence>(
        _ body: Body, headers: HTTPFields, into bucket: any BucketStore, as target: WriteTarget, maximumSize: Int64,
        defaultChecksum: ChecksumAlgorithm? = nil, chunkSignatures: SigV4ChunkVerifier? = nil
    ) async throws -> ReceivedBody where Body.Element == ByteBuffer {
        let chunked = isAWSChunked(headers)
        let declaredLength = (chunked ? headers[decodedContentLength] : headers[.contentLength]).flatMap { Int64($0) }
        if let declaredLength, declaredLength > maximumSize { throw S3Error.entityTooLarge }
        if chunked && declaredLength == nil {
            throw S3Error("MissingContentLength", "You must provide the Content-Length HTTP header.")
        }
        let expectedMD5 = try headers[HTTPField.Name("Content-MD5")!].map(decodeContentMD5)
        var checksum = try ChecksumRequest(headers)
        if checksum.algorithm == nil { checksum.algorithm = defaultChecksum }
        let payloadHash = headers[contentSHA256].flatMap { $0.count == 64 ? Hex.decode($0) : nil }

        let writer = try bucket.writer(for: target)
        var pipeline = UploadPipeline(writer: writer, sha256: payloadHash != nil, checksum: checksum.algorithm)
        do {
            var decoder = chunked ? AWSChunkedDecoder(signatures: chunkSignatures) : nil
            var size: Int64 = 0
            for try await buffer in body {
                var decoded = [buffer]
                if decoder != nil {
                    var ranges: [Range<Int>] = []
                    try buffer.withUnsafeReadableBytes { raw in try decoder!.decode(raw) { ranges.append($0) } }
                    decoded = ranges.map { buffer.getSlice(at: buffer.readerIndex + $0.lowerBound, length: $0.count)! }
                }
                for bytes in decoded {
                    size += Int64(bytes.readableBytes)
                    guard size <= maximumSize else { throw S3Error.entityTooLarge }
                    try await pipeline.append(bytes)
                }
            }
            try decoder?.finish()
            let trailers = decoder?.trailers ?? [:]
            if let declaredLength, declaredLength != size { throw S3Error.incompleteBody() }
            let computed = try await pipeline.finish()
            if let expectedMD5, expectedMD5 != computed.md5 {
                throw S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.")
            }
            if let payloadHash, computed.sha256 != payloadHash {
                throw S3Error.contentSHA256Mismatch
            }
            var checksums: [String: String] = [:]
            if let algorithm = checksum.algorithm, let value = computed.checksum {
                let claimed = checksum.value ?? trailers[algorithm.headerName]
                if let claimed, claimed != value { throw S3Error.badDigest(algorithm.rawValue.uppercased()) }
                checksums[algorithm.rawValue] = value
            }
            return ReceivedBody(writer: writer, size: size, md5: computed.md5, checksums: checksums)
        } catch {
            await pipeline.drain()
            writer.discard()
            if let failure = error as? AWSChunkedDecoder.Failure {
                throw S3Error.malformedAWSChunked(failure)
            }
            throw error
        }
    }

    static func verifyContentMD5(_ header: String, of bytes: [UInt8]) throws {
        let expected = try decodeContentMD5(header)
        guard Array(Insecure.MD5.hash(data: bytes)) == expected else {
            throw S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.")
        }
    }

    private static func decodeContentMD5(_ header: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: header.trimmingXMLWhitespace()), data.count == 16 else {
            throw S3Error.invalidDigest
        }
        return Array(data)
    }
}
