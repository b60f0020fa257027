/// Little-endian, length-prefixed encoding for on-disk metadata: compact and fast, with no
/// JSON encoder on the PUT/GET path.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Int64) {
        write(UInt64(bitPattern: value))
    }

    mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: String) {
        write(UInt32(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func write(_ value: String?) {
        if let value {
            bytes.append(1)
            write(value)
        } else {
            bytes.append(0)
        }
    }

    mutating func write(_ dictionary: [String: String]) {
        write(UInt32(dictionary.count))
        for (name, value) in dictionary.sorted(by: { $0.key < $1.key }) {
            write(name)
            write(value)
        }
    }
}

struct BinaryReader {
    struct Failure: Error {}

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index == bytes.endIndex }
    /// Where the next read starts, as an index of the slice's base array.
    var position: Int { index }

    mutating func readByte() throws(Failure) -> UInt8 {
        guard index < bytes.endIndex else { throw Failure() }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func readUInt64() throws(Failure) -> UInt64 {
        guard bytes.endIndex - index >= 8 else { throw Failure() }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * offset) }
        index += 8
        return value
    }

    mutating func readInt64() throws(Failure) -> Int64 {
        Int64(bitPattern: try readUInt64())
    }

    mutating func readUInt32() throws(Failure) -> UInt32 {
        guard bytes.endIndex - index >= 4 else { throw Failure() }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * offset) }
        index += 4
        return value
    }

    mutating func readString() throws(Failure) -> String {
        let count = Int(try readUInt32())
        guard bytes.endIndex - index >= count else { throw Failure() }
        defer { index += count }
        return String(decoding: bytes[index..<(index + count)], as: UTF8.self)
    }

    mutating func readOptionalString() throws(Failure) -> String? {
        try readByte() == 0 ? nil : try readString()
    }

    mutating func readDictionary() throws(Failure) -> [String: String] {
        let count = Int(try readUInt32())
        var result: [String: String] = [:]
        for _ in 0..<count {
            let name = try readString()
            result[name] = try readString()
        }
        return result
    }
}
