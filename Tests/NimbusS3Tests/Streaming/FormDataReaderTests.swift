import NIOCore
import Testing

@testable import NimbusS3

@Suite struct FormDataReaderTests {
    /// A body delivered in pieces of the given sizes (cycled), as the network may cut it.
    struct Pieces: AsyncSequence {
        typealias Element = ByteBuffer
        let bytes: [UInt8]
        let sizes: [Int]

        struct AsyncIterator: AsyncIteratorProtocol {
            var rest: ArraySlice<UInt8>
            let sizes: [Int]
            var turn = 0
            mutating func next() async throws -> ByteBuffer? {
                guard !rest.isEmpty else { return nil }
                let size = Swift.min(rest.count, sizes[turn % sizes.count])
                turn += 1
                defer { rest = rest.dropFirst(size) }
                return ByteBuffer(bytes: rest.prefix(size))
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: bytes[...], sizes: sizes) }
    }

    static let file: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } + Array("\r\n--XY".utf8)

    static let body: [UInt8] = Array(
        "preamble\r\n--XYZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
            .utf8)
        + Array("--XYZ\r\nContent-Disposition: form-data; name=\"x-amz-meta-note\"\r\n\r\nsemi;colon \"q\"\r\n".utf8)
        + Array("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".bin\"\r\n".utf8)
        + Array("Content-Type: application/octet-stream\r\n\r\n".utf8) + file
        + Array("\r\n--XYZ\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--XYZ--\r\n".utf8)

    /// Fields, the file's name and bytes, and the names of the parts after it.
    static func read(_ sizes: [Int]) async throws -> ([(String, String)], String?, [UInt8], [String]) {
        let reader = FormDataReader(body: Pieces(bytes: body, sizes: sizes), boundary: "XYZ")
        var fields: [(String, String)] = []
        var filename: String?
        var content: [UInt8] = []
        var after: [String] = []
        while let part = try await reader.nextPart() {
            if part.name == "file" {
                filename = part.filename
                while var chunk = try await reader.nextChunk() { content += chunk.readBytes(length: chunk.readableBytes)! }
            } else if filename == nil {
                fields.append((part.name, String(decoding: try await reader.value(limit: 1024), as: UTF8.self)))
            } else {
                after.append(part.name)
            }
        }
        return (fields, filename, content, after)
    }

    @Test(arguments: [[1], [7], [5, 13, 1], [4096], [65_536, 3], [1 << 20]])
    func partsSurviveAnyCutOfTheBody(sizes: [Int]) async throws {
        let (fields, filename, content, after) = try await Self.read(sizes)
        #expect(fields.map(\.0) == ["key", "x-amz-meta-note"])
        #expect(fields.map(\.1) == ["uploads/${filename}", "semi;colon \"q\""])
        #expect(filename == "a \"b\".bin")
        #expect(content == Self.file)  // a near-miss of the delimiter inside stays content
        #expect(after == ["after"])
    }

    @Test func boundaryComesFromTheContentType() {
        typealias Reader = FormDataReader<Pieces>
        #expect(Reader.boundary(ofContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(Reader.boundary(ofContentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(Reader.boundary(ofContentType: "multipart/mixed; boundary=abc") == nil)
        #expect(Reader.boundary(ofContentType: "multipart/form-data") == nil)
        #expect(Reader.boundary(ofContentType: "multipart/form-data; boundary=" + String(repeating: "b", count: 71)) == nil)
    }

    @Test(arguments: [
        "--XYZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk",  // no closing delimiter
        "--XYZ\r\nContent-Disposition: form-data; name=\"key\"",  // headers never end
        "--XYZ\r\nContent-Type: text/plain\r\n\r\nk\r\n--XYZ--",  // a part without a name
        "no delimiter at all",
    ])
    func malformedBodiesAreMalformedPOSTRequests(text: String) async throws {
        let reader = FormDataReader(body: Pieces(bytes: Array(text.utf8), sizes: [3]), boundary: "XYZ")
        let error = await #expect(throws: S3Error.self) {
            while try await reader.nextPart() != nil { _ = try await reader.value(limit: 100) }
        }
        #expect(error?.code == "MalformedPOSTRequest")
    }

    @Test func aFieldOverItsLimitIsRefused() async throws {
        let text = "--XYZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n\(String(repeating: "k", count: 101))\r\n--XYZ--"
        let reader = FormDataReader(body: Pieces(bytes: Array(text.utf8), sizes: [1000]), boundary: "XYZ")
        _ = try await reader.nextPart()
        let error = await #expect(throws: S3Error.self) { try await reader.value(limit: 100) }
        #expect(error?.code == "MaxPostPreDataLengthExceeded")
    }
}
