import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Streams an upload body to disk: never more than one network buffer in memory, MD5 (and
/// SHA-256 / `x-amz-checksum-*` when asked for) computed as the bytes pass, `aws-chunked`
/// decoded on the fly, and every integrity claim of the request checked before the body can
/// become visible.
enum BodyReceiver {
    static func isAWSChunked(_ headers: HTTPFields) -> Bool {
        if let encoding = headers[.contentEncoding], encoding.lowercased().contains("aws-chunked") { return true }
        return headers[contentSHA256]?.hasPrefix("STREAMING-") ?? false
    }

    static let contentSHA256 = HTTPField.Name("x-amz-content-sha256")!
    static let decodedContentLength = HTTPField.Name("x-amz-decoded-content-length")!

    /// - Parameter defaultChecksum: computed when the request names no checksum itself (the
    ///   algorithm a multipart upload was created with).
    static func receive(
        _ request: S3Request, into directory: String, maximumSize: Int64, defaultChecksum: ChecksumAlgorithm? = nil
    ) async throws -> ReceivedBody {
        let headers = request.headers
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

        var digest = Digest(checksum: checksum.algorithm.map(ChecksumHasher.init), sha256: payloadHash != nil)
        var decoder = chunked ? AWSChunkedDecoder() : nil
        let staged = try StagedFile.create(in: directory)
        do {
            for try await buffer in request.body {
                try buffer.withUnsafeReadableBytes { raw in
                    if decoder != nil {
                        try decoder!.decode(raw) { chunk in try digest.consume(chunk, into: staged, limit: maximumSize) }
                    } else {
                        try digest.consume(raw, into: staged, limit: maximumSize)
                    }
                }
            }
            var trailers: [String: String] = [:]
            if let decoder {
                try decoder.finish()
                trailers = decoder.trailers
            }
            if let declaredLength, declaredLength != digest.size { throw S3Error.incompleteBody() }
            let md5 = Array(digest.md5.finalize())
            if let expectedMD5, expectedMD5 != md5 {
                throw S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.")
            }
            if let payloadHash, let sha256 = digest.sha256, Array(sha256.finalize()) != payloadHash {
                throw S3Error.contentSHA256Mismatch
            }
            var checksums: [String: String] = [:]
            if let algorithm = checksum.algorithm, let hasher = digest.checksum {
                let computed = hasher.value()
                let claimed = checksum.value ?? trailers[algorithm.headerName]
                if let claimed, claimed != computed { throw S3Error.badDigest(algorithm.rawValue.uppercased()) }
                checksums[algorithm.rawValue] = computed
            }
            return ReceivedBody(staged: staged, size: digest.size, md5: md5, checksums: checksums)
        } catch let failure as AWSChunkedDecoder.Failure {
            staged.discard()
            throw S3Error("IncompleteBody", "The aws-chunked body is malformed: \(failure.reason)")
        } catch {
            staged.discard()
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

    /// Running digests of the decoded body.
    private struct Digest {
        var md5 = Insecure.MD5()
        var checksum: ChecksumHasher?
        var sha256: SHA256?
        var size: Int64 = 0

        init(checksum: ChecksumHasher?, sha256: Bool) {
            self.checksum = checksum
            self.sha256 = sha256 ? SHA256() : nil
        }

        mutating func consume(_ bytes: UnsafeRawBufferPointer, into file: StagedFile, limit: Int64) throws {
            guard !bytes.isEmpty else { return }
            size += Int64(bytes.count)
            guard size <= limit else { throw S3Error.entityTooLarge }
            try file.append(bytes)
            md5.update(bufferPointer: bytes)
            checksum?.update(bytes)
            sha256?.update(bufferPointer: bytes)
        }
    }
}
