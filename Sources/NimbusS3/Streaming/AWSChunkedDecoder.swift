import NimbusSigV4

/// Decodes `Content-Encoding: aws-chunked` request bodies incrementally, and checks their chunk
/// signatures when given a ``SigV4ChunkVerifier``.
///
/// Wire form (SigV4 streaming uploads):
/// ```
/// <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n
/// [<trailer name>:<value>\r\n … [x-amz-trailer-signature:<sig>\r\n]]\r\n
/// ```
/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` signs each chunk (and the trailers);
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (boto3's default over HTTPS) sends plain chunks and the
/// checksum as a trailer. Without a verifier, chunk signatures are parsed but not checked.
struct AWSChunkedDecoder {
    struct Failure: Error, Equatable {
        var reason: String
    }

    private enum State {
        case chunkHeader
        case chunkData(remaining: Int)
        case chunkEnd
        case trailers
        case done
    }

    private static let maximumLineLength = 8 * 1024
    private static let signatureField = Array("chunk-signature=".utf8)
    private static let trailerSignatureName = "x-amz-trailer-signature"

    private var state = State.chunkHeader
    private var line: [UInt8] = []
    private var signatures: SigV4ChunkVerifier?
    /// The current chunk's `chunk-signature`.
    private var chunkSignature: String?
    /// Trailer lines as sent, each followed by `\n`: what the trailer signature signs.
    private var signedTrailers: [UInt8] = []
    private var trailerSignature: String?
    /// Trailing headers, names lowercased.
    private(set) var trailers: [String: String] = [:]

    init(signatures: SigV4ChunkVerifier? = nil) {
        self.signatures = signatures
    }

    /// Feeds the next piece of the encoded body, calling `emit` with the range of `bytes` holding
    /// each run of decoded bytes. A chunk whose signature does not match throws
    /// SignatureDoesNotMatch once its last byte has been emitted.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, emit: (Range<Int>) throws -> Void) throws {
        var index = 0
        while index < bytes.count {
            switch state {
            case .chunkHeader:
                guard let text = try readLine(bytes, &index) else { return }
                let size = try parseChunkHeader(text)
                if size == 0 {
                    try finishChunk()
                    state = .trailers
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let count = min(remaining, bytes.count - index)
                let range = index..<(index + count)
                signatures?.update(UnsafeRawBufferPointer(rebasing: bytes[range]))
                try emit(range)
                index += count
                state = remaining == count ? .chunkEnd : .chunkData(remaining: remaining - count)
            case .chunkEnd:
                guard let text = try readLine(bytes, &index) else { return }
                guard text.isEmpty else { throw Failure(reason: "chunk data longer than its declared size") }
                try finishChunk()
                state = .chunkHeader
            case .trailers:
                guard let text = try readLine(bytes, &index) else { return }
                if text.isEmpty {
                    try finishTrailers()
                    state = .done
                } else {
                    try readTrailer(text)
                }
            case .done:
                // Tolerate stray line breaks after the terminating empty line.
                guard bytes[index] == UInt8(ascii: "\r") || bytes[index] == UInt8(ascii: "\n") else {
                    throw Failure(reason: "data after the final chunk")
                }
                index += 1
            }
        }
    }

    /// Checks that the body ended where it should: after the final chunk (and its trailers).
    mutating func finish() throws {
        switch state {
        case .done:
            return
        case .trailers where line.isEmpty:
            // Some clients end right after the last trailer line without the empty line.
            try finishTrailers()
            state = .done
        default:
            throw Failure(reason: "body ended inside a chunk")
        }
    }

    /// Accumulates bytes up to a line break; returns the line without CRLF once complete.
    private mutating func readLine(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) throws -> [UInt8]? {
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\n") {
                var result = line
                line.removeAll(keepingCapacity: true)
                if result.last == UInt8(ascii: "\r") { result.removeLast() }
                return result
            }
            line.append(byte)
            guard line.count <= Self.maximumLineLength else { throw Failure(reason: "chunk header too long") }
        }
        return nil
    }

    /// `<hex>` or `<hex>;chunk-signature=<sig>`: returns the size, keeps the signature.
    private mutating func parseChunkHeader(_ line: [UInt8]) throws -> Int {
        let sizeField = line.prefix { $0 != UInt8(ascii: ";") }
        guard !sizeField.isEmpty, sizeField.count <= 15,
            let size = Int(String(decoding: sizeField, as: UTF8.self).trimmingXMLWhitespace(), radix: 16), size >= 0
        else { throw Failure(reason: "invalid chunk size") }
        let extensions = line.dropFirst(sizeField.count + 1)
        chunkSignature = extensions.starts(with: Self.signatureField)
            ? String(decoding: extensions.dropFirst(Self.signatureField.count), as: UTF8.self) : nil
        return size
    }

    private mutating func finishChunk() throws {
        guard signatures != nil else { return }
        guard let chunkSignature, signatures!.finishChunk(signature: chunkSignature) else {
            throw S3Error.signatureDoesNotMatch
        }
    }

    private mutating func readTrailer(_ text: [UInt8]) throws {
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { throw Failure(reason: "malformed trailer") }
        let name = String(decoding: text[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: text[(colon + 1)...], as: UTF8.self).trimmingXMLWhitespace()
        if name == Self.trailerSignatureName {
            trailerSignature = value
        } else {
            signedTrailers += text + [UInt8(ascii: "\n")]
        }
        trailers[name] = value
    }

    /// Signed trailers must carry a valid trailer signature.
    private func finishTrailers() throws {
        guard let signatures, !signedTrailers.isEmpty || trailerSignature != nil else { return }
        guard let trailerSignature, signatures.finishTrailers(signedTrailers, signature: trailerSignature) else {
            throw S3Error.signatureDoesNotMatch
        }
    }
}
