import NIOCore

/// Reads a `multipart/form-data` body (RFC 7578) as it arrives: a part's headers, then its
/// content either whole (a small field) or buffer by buffer (the file of a POST upload, which is
/// never held in memory). Parts come in order; a part's unread content is skipped.
final class FormDataReader<Body: AsyncSequence> where Body.Element == ByteBuffer {
    struct Part {
        var name: String
        var filename: String?
    }

    private var iterator: Body.AsyncIterator
    /// `CRLF--boundary`: what ends every part's content.
    private let delimiter: [UInt8]
    /// Bytes received and not yet handed out. Starts with CRLF, so that the body's first
    /// `--boundary` (which has none before it) reads as a delimiter too.
    private var buffer = ByteBuffer(bytes: [13, 10])
    private var position = Position.preamble

    private enum Position {
        /// Before the first delimiter, or inside a part's content.
        case preamble, content
        /// Right after a delimiter.
        case delimiter
        /// After the closing delimiter.
        case end
    }

    static func boundary(ofContentType contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].count >= 2 && pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"")
                ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    init(body: Body, boundary: String) {
        iterator = body.makeAsyncIterator()
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The next part's headers; nil after the closing delimiter.
    func nextPart() async throws -> Part? {
        while try await nextChunk() != nil {}  // the rest of the current part, or the preamble
        if position == .end { return nil }
        // After a delimiter: `--` closes the body; otherwise (optional padding) CRLF and headers.
        try await need(2)
        if buffer.readableBytesView.starts(with: [45, 45]) {
            position = .end
            return nil
        }
        let lineEnd = try await find([13, 10], within: 1024)
        buffer.moveReaderIndex(forwardBy: lineEnd + 2)
        let part: Part
        if buffer.readableBytesView.starts(with: [13, 10]) {  // no headers at all
            buffer.moveReaderIndex(forwardBy: 2)
            part = try Self.part(fromHeaders: "")
        } else {
            let headerEnd = try await find([13, 10, 13, 10], within: 16 * 1024)
            part = try Self.part(fromHeaders: String(decoding: buffer.readableBytesView.prefix(headerEnd), as: UTF8.self))
            buffer.moveReaderIndex(forwardBy: headerEnd + 4)
        }
        position = .content
        return part
    }

    /// The rest of the current part's content, which must not exceed `limit` bytes.
    func value(limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while var chunk = try await nextChunk() {
            guard bytes.count + chunk.readableBytes <= limit else { throw S3Error.maxPostPreDataLengthExceeded }
            bytes += chunk.readBytes(length: chunk.readableBytes)!
        }
        return bytes
    }

    /// The next bytes of the current part's content; nil at its end (the reader then stands after
    /// the delimiter).
    func nextChunk() async throws -> ByteBuffer? {
        guard position == .preamble || position == .content else { return nil }
        var searched = 0  // offsets before this cannot start a delimiter: each byte is searched once
        while true {
            if let index = Self.index(of: delimiter, in: buffer, from: searched) {
                if index > 0 { return buffer.readSlice(length: index) }
                buffer.moveReaderIndex(forwardBy: delimiter.count)
                position = .delimiter
                return nil
            }
            // Hand out all but what could be the start of a delimiter split across reads.
            let safe = buffer.readableBytes - (delimiter.count - 1)
            if safe > 0 && buffer.readableBytes >= 64 * 1024 { return buffer.readSlice(length: safe) }
            searched = max(0, safe)
            guard try await fill() else { throw S3Error.malformedPOSTRequest }
        }
    }

    // MARK: Buffering

    private func fill() async throws -> Bool {
        guard var next = try await iterator.next() else { return false }
        buffer.discardReadBytes()
        buffer.writeBuffer(&next)
        return true
    }

    private func need(_ count: Int) async throws {
        while buffer.readableBytes < count {
            guard try await fill() else { throw S3Error.malformedPOSTRequest }
        }
    }

    /// The offset of `pattern` in the buffer, reading more as needed, within `limit` bytes.
    private func find(_ pattern: [UInt8], within limit: Int) async throws -> Int {
        var searched = 0
        while true {
            if let index = Self.index(of: pattern, in: buffer, from: searched) { return index }
            searched = max(0, buffer.readableBytes - pattern.count + 1)
            guard buffer.readableBytes <= limit, try await fill() else { throw S3Error.malformedPOSTRequest }
        }
    }

    /// The offset of `pattern` in the readable bytes, at `start` or after.
    private static func index(of pattern: [UInt8], in buffer: ByteBuffer, from start: Int = 0) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard bytes.count >= pattern.count, let first = pattern.first else { return nil }
            var start = start
            let last = bytes.count - pattern.count
            while start <= last {
                guard let hit = bytes[start...last].firstIndex(of: first) else { return nil }
                if bytes[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit }
                start = hit + 1
            }
            return nil
        }
    }

    // MARK: Headers

    /// Reads `Content-Disposition: form-data; name="…"; filename="…"`. A part's own
    /// `Content-Type` is not read: S3 takes the object's from the form's `Content-Type` field.
    private static func part(fromHeaders block: String) throws -> Part {
        var part = Part(name: "")
        var named = false
        for line in block.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard name == "content-disposition" else { continue }
            for (key, parameter) in parameters(value) {
                if key == "name" { part.name = parameter; named = true }
                if key == "filename" { part.filename = parameter }
            }
        }
        guard named else { throw S3Error.malformedPOSTRequest }
        return part
    }

    /// `form-data; name="a"; filename="b"` → [("name", "a"), ("filename", "b")], quotes honoured.
    private static func parameters(_ value: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var rest = Substring(value)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var parameter = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { parameter.append(character); escaped = false; continue }
                    if character == "\\" { escaped = true; continue }
                    if character == "\"" { break }
                    parameter.append(character)
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parameter = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            result.append((key, parameter))
        }
        return result
    }
}
