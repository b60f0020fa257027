/// Decodes `Content-Encoding: aws-chunked` request bodies incrementally.
///
/// Wire form (SigV4 streaming uploads):
/// ```
/// <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n
/// [<trailer name>:<value>\r\n …]\r\n
/// ```
/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` signs each chunk; `STREAMING-UNSIGNED-PAYLOAD-TRAILER`
/// (boto3's default over HTTPS) sends plain chunks and the checksum as a trailer. Chunk signatures
/// are parsed but not verified here (that needs the secret key; the request's own signature
/// covers the seed).
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

    private var state = State.chunkHeader
    private var line: [UInt8] = []
    /// Trailing headers, names lowercased.
    private(set) var trailers: [String: String] = [:]

    /// Feeds the next piece of the encoded body, calling `emit` with each run of decoded bytes.
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var index = 0
        while index < bytes.count {
            switch state {
            case .chunkHeader:
                guard let text = try readLine(bytes, &index) else { return }
                let size = try Self.chunkSize(text)
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let count = min(remaining, bytes.count - index)
                try emit(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
                index += count
                state = remaining == count ? .chunkEnd : .chunkData(remaining: remaining - count)
            case .chunkEnd:
                guard let text = try readLine(bytes, &index) else { return }
                guard text.isEmpty else { throw Failure(reason: "chunk data longer than its declared size") }
                state = .chunkHeader
            case .trailers:
                guard let text = try readLine(bytes, &index) else { return }
                if text.isEmpty {
                    state = .done
                } else {
                    guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else {
                        throw Failure(reason: "malformed trailer")
                    }
                    let name = String(decoding: text[..<colon], as: UTF8.self).lowercased()
                    let value = String(decoding: text[(colon + 1)...], as: UTF8.self).trimmingXMLWhitespace()
                    trailers[name] = value
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
    func finish() throws {
        switch state {
        case .done:
            return
        case .trailers where line.isEmpty:
            // Some clients end right after the last trailer line without the empty line.
            return
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

    /// `<hex>` or `<hex>;chunk-signature=…`.
    private static func chunkSize(_ line: [UInt8]) throws -> Int {
        let sizeField = line.prefix { $0 != UInt8(ascii: ";") }
        guard !sizeField.isEmpty, sizeField.count <= 15,
            let size = Int(String(decoding: sizeField, as: UTF8.self).trimmingXMLWhitespace(), radix: 16), size >= 0
        else { throw Failure(reason: "invalid chunk size") }
        return size
    }
}
