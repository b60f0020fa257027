/// Order-preserving byte encodings of key values, so SQLite's BLOB comparison (memcmp) sorts rows
/// the way DynamoDB sorts keys: numbers numerically, strings and binaries by their bytes.
enum KeyEncoding {
    static func encode(_ value: AttributeValue) -> [UInt8] {
        switch value {
        case .s(let s): Array(s.utf8)
        case .b(let b): b
        case .n(let n): encode(n)
        default: []
        }
    }

    /// Numbers: a sign byte (negative < zero < positive), the exponent, then the digits. For
    /// negatives the exponent and digits are complemented and a terminator follows, so that larger
    /// magnitudes (and longer digit strings with the same prefix) sort first.
    static func encode(_ number: DynamoNumber) -> [UInt8] {
        if number.isZero { return [0x80] }
        let biased = UInt16(truncatingIfNeeded: number.exponent + 0x8000)
        var out: [UInt8] = []
        out.reserveCapacity(number.digits.count + 4)
        if number.isNegative {
            out.append(0x40)
            out.append(UInt8(truncatingIfNeeded: ~biased >> 8))
            out.append(UInt8(truncatingIfNeeded: ~biased))
            for d in number.digits { out.append(9 - d) }
            out.append(0xFF)
        } else {
            out.append(0xC0)
            out.append(UInt8(truncatingIfNeeded: biased >> 8))
            out.append(UInt8(truncatingIfNeeded: biased))
            out.append(contentsOf: number.digits)
        }
        return out
    }

    /// The smallest byte string greater than every string starting with `prefix` (for
    /// `begins_with` ranges); nil when there is none.
    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }

    /// Stable segment of a partition key for parallel scans.
    static func segment(of partitionKey: [UInt8], totalSegments: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in partitionKey {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(totalSegments))
    }
}
