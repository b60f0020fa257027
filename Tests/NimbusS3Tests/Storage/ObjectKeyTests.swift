import Foundation
import Testing

@testable import NimbusS3

@Suite struct ObjectKeyTests {
    /// Every class of path trick maps to a fixed-length hex file name directly under `objects/`.
    @Test(arguments: [
        "..", ".", "../escape", "../../../../etc/passwd", "a/../../b", "a/./b", "/leading", "//double", "trailing/",
        "back\\slash", "nul-free %00 percent", "C:\\windows", "~/home", "ünïcödé/😀", String(repeating: "k", count: 1024),
        String(repeating: "../", count: 300),
    ])
    func pathTricksNeverReachTheFileSystem(_ raw: String) throws {
        let key = try ObjectKey(validating: raw)
        let name = DiskBucket.fileName(for: key)
        #expect(name.count == 64)
        #expect(name.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let bucket = DiskBucket(
            name: "bucket", directory: "/data/buckets/bucket",
            configuration: BucketConfiguration(creationDate: 0, region: "us-east-1"), index: KeyIndex(),
            durable: false)
        #expect(bucket.objectPath(key) == "/data/buckets/bucket/objects/" + name)
    }

    @Test func distinctKeysGetDistinctFiles() throws {
        let keys = ["a", "a/", "/a", "A", "e\u{301}", "\u{E9}"].map { try! ObjectKey(validating: $0) }
        #expect(Set(keys.map(DiskBucket.fileName(for:))).count == keys.count)
    }

    @Test func tooLongKeyIsKeyTooLongError() {
        #expect(throws: S3Error.self) { try ObjectKey(validating: String(repeating: "k", count: 1025)) }
        do {
            _ = try ObjectKey(validating: String(repeating: "é", count: 513))  // 1026 bytes
            Issue.record("expected KeyTooLongError")
        } catch {
            #expect(error.code == "KeyTooLongError")
            #expect(error.status == .badRequest)
        }
    }

    @Test(arguments: ["", "nul\u{0}inside"])
    func emptyAndNULKeysAreInvalidArgument(_ raw: String) {
        do {
            _ = try ObjectKey(validating: raw)
            Issue.record("expected InvalidArgument")
        } catch {
            #expect(error.code == "InvalidArgument")
        }
    }

    @Test func comparesByUTF8BytesNotUnicodeEquivalence() throws {
        let composed = try ObjectKey(validating: "\u{E9}")
        let decomposed = try ObjectKey(validating: "e\u{301}")
        #expect(composed != decomposed)
        #expect(decomposed < composed)  // 0x65 < 0xC3
        #expect(try ObjectKey(validating: "B") < ObjectKey(validating: "a"))
        #expect(try ObjectKey(validating: "~") < ObjectKey(validating: "\u{FF}"))
    }
}

@Suite struct BucketNameTests {
    @Test(arguments: ["abc", "my-bucket", "my.bucket.name", "a1b2c3", String(repeating: "a", count: 63), "123"])
    func validNames(_ name: String) {
        #expect(BucketName.isValid(name))
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "Upper", "under_score", "-start", "end-", ".start", "end.", "a..b",
        "192.168.0.1", "xn--punycode", "bucket-s3alias", "spa ce", "slash/", "..", "sthree-x", "über",
    ])
    func invalidNames(_ name: String) {
        #expect(!BucketName.isValid(name))
    }
}
