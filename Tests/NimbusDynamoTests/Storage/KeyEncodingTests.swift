import Testing

@testable import NimbusDynamo

@Suite("Key encoding")
struct KeyEncodingTests {
    private func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        AttributeValue.compareBytes(a, b) < 0
    }

    @Test("numbers sort numerically as bytes")
    func numberOrder() throws {
        let values = ["-1E+125", "-1000", "-999.5", "-10", "-9.99", "-9.9", "-1.25", "-1.2", "-1", "-0.5", "-1E-130", "0",
                      "1E-130", "0.001", "0.5", "1", "1.2", "1.25", "9", "9.5", "10", "99", "100", "1000.0001", "1E+125"]
        let encoded = try values.map { KeyEncoding.encode(try DynamoNumber(parsing: $0)) }
        for i in 0..<(encoded.count - 1) {
            #expect(less(encoded[i], encoded[i + 1]), "\(values[i]) < \(values[i + 1])")
        }
    }

    @Test("equal numbers encode identically")
    func numberIdentity() throws {
        #expect(KeyEncoding.encode(try DynamoNumber(parsing: "1.0")) == KeyEncoding.encode(try DynamoNumber(parsing: "1")))
        #expect(KeyEncoding.encode(try DynamoNumber(parsing: "-0")) == KeyEncoding.encode(DynamoNumber.zero))
    }

    @Test("strings sort by UTF-8 bytes, not by Unicode collation")
    func stringOrder() {
        let values = ["A", "B", "Z", "a", "aa", "ab", "b", "z", "é", "中"]
        let encoded = values.map { KeyEncoding.encode(.s($0)) }
        for i in 0..<(encoded.count - 1) {
            #expect(less(encoded[i], encoded[i + 1]), "\(values[i]) < \(values[i + 1])")
        }
    }

    @Test("binary sorts unsigned bytewise")
    func binaryOrder() {
        #expect(less(KeyEncoding.encode(.b([0x00])), KeyEncoding.encode(.b([0x7F]))))
        #expect(less(KeyEncoding.encode(.b([0x7F])), KeyEncoding.encode(.b([0x80]))))
        #expect(less(KeyEncoding.encode(.b([0x80])), KeyEncoding.encode(.b([0x80, 0x00]))))
    }

    @Test("prefix successor bounds begins_with ranges")
    func prefixSuccessor() {
        #expect(KeyEncoding.prefixSuccessor(Array("ab".utf8)) == Array("ac".utf8))
        #expect(KeyEncoding.prefixSuccessor([0x61, 0xFF]) == [0x62])
        #expect(KeyEncoding.prefixSuccessor([0xFF, 0xFF]) == nil)
    }

    @Test("scan segments partition keys stably")
    func segments() {
        let keys = (0..<200).map { Array("key-\($0)".utf8) }
        var counts = [0, 0, 0, 0]
        for key in keys {
            let segment = KeyEncoding.segment(of: key, totalSegments: 4)
            #expect(segment == KeyEncoding.segment(of: key, totalSegments: 4))
            counts[segment] += 1
        }
        #expect(counts.allSatisfy { $0 > 20 })
    }
}
