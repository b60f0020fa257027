import Foundation
import Testing

import NimbusCore

@Suite struct ReflectedCRCTests {
    /// The CRC one bit at a time, straight from the definition: the reference.
    static func bitwise<Value: FixedWidthInteger & UnsignedInteger>(
        _ bytes: some Sequence<UInt8>, polynomial: Value
    ) -> Value {
        var crc = ~Value(0)
        for byte in bytes {
            crc ^= Value(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
        }
        return ~crc
    }

    static func crc<Value>(_ table: ReflectedCRC<Value>, _ bytes: [UInt8]) -> Value {
        ~bytes.withUnsafeBytes { table.update(~0, with: $0) }
    }

    @Test func checkValues() {
        let check = Array("123456789".utf8)
        #expect(Self.crc(CRCTables.crc32, check) == 0xCBF4_3926)
        #expect(Self.crc(CRCTables.crc32c, check) == 0xE306_9283)
        #expect(Self.crc(CRCTables.crc64nvme, check) == 0xAE8B_1486_0A79_9888)
        #expect(Self.crc(CRCTables.crc32, []) == 0)
    }

    /// Published CRC-32 values, through the one-shot form DynamoDB's `x-amz-crc32` uses.
    @Test func crc32PublishedValues() {
        #expect(CRCTables.crc32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRCTables.crc32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRCTables.crc32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
        #expect(CRCTables.crc32.checksum([UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
        #expect(CRCTables.crc32.checksum(Array(0...31)) == 0x9126_7E8A)
    }

    /// Every length around the 16-byte step, at every alignment, in one piece and in two.
    @Test func agreesWithTheBitwiseReference() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<600).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for offset in 0..<9 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 255, 511, 591].filter({ offset + $0 <= data.count }) {
                let slice = Array(data[offset..<(offset + length)])
                let expected32 = Self.bitwise(slice, polynomial: UInt32(0xEDB8_8320))
                let expected32c = Self.bitwise(slice, polynomial: UInt32(0x82F6_3B78))
                let expected64 = Self.bitwise(slice, polynomial: UInt64(0x9A6C_9329_AC4B_C9B5))
                // Unaligned input: the bytes read in place from `data`, not from a fresh array.
                data.withUnsafeBytes { all in
                    let bytes = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    #expect(~CRCTables.crc32.update(~0, with: bytes) == expected32)
                    #expect(~CRCTables.crc32c.update(~0, with: bytes) == expected32c)
                    #expect(~CRCTables.crc64nvme.update(~0, with: bytes) == expected64)
                    let split = length / 3
                    let first = CRCTables.crc32.update(~0, with: UnsafeRawBufferPointer(rebasing: bytes[0..<split]))
                    let both = CRCTables.crc32.update(first, with: UnsafeRawBufferPointer(rebasing: bytes[split...]))
                    #expect(~both == expected32)
                }
            }
        }
    }

    /// Large random input in uneven pieces against the reference.
    @Test func largeInputInPieces() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<200_003).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var crc = ~UInt32(0)
        var start = 0
        var size = 1
        data.withUnsafeBytes { all in
            while start < data.count {
                let end = min(start + size, data.count)
                crc = CRCTables.crc32c.update(crc, with: UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
                size = size * 5 % 4099 + 1
            }
        }
        #expect(~crc == Self.bitwise(data, polynomial: UInt32(0x82F6_3B78)))
    }
}
