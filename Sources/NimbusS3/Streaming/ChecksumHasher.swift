import Crypto
import Foundation

/// Incremental computation of one `x-amz-checksum-*` algorithm.
struct ChecksumHasher {
    let algorithm: ChecksumAlgorithm
    private var state: State

    private enum State {
        case crc32(UInt32)
        case crc64(UInt64)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
    }

    init(_ algorithm: ChecksumAlgorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .crc32, .crc32c: state = .crc32(0xFFFF_FFFF)
        case .crc64nvme: state = .crc64(~0)
        case .sha1: state = .sha1(Insecure.SHA1())
        case .sha256: state = .sha256(SHA256())
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .crc32(var crc):
            let table = algorithm == .crc32 ? CRCTables.crc32 : CRCTables.crc32c
            table.withUnsafeBufferPointer { table in
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
            state = .crc32(crc)
        case .crc64(var crc):
            CRCTables.crc64nvme.withUnsafeBufferPointer { table in
                for byte in bytes { crc = table[Int((crc ^ UInt64(byte)) & 0xFF)] ^ (crc >> 8) }
            }
            state = .crc64(crc)
        case .sha1(var hash):
            hash.update(bufferPointer: bytes)
            state = .sha1(hash)
        case .sha256(var hash):
            hash.update(bufferPointer: bytes)
            state = .sha256(hash)
        }
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The raw digest (CRCs big-endian, as AWS encodes them).
    func digest() -> [UInt8] {
        switch state {
        case .crc32(let crc): withUnsafeBytes(of: (~crc).bigEndian, Array.init)
        case .crc64(let crc): withUnsafeBytes(of: (~crc).bigEndian, Array.init)
        case .sha1(let hash): Array(hash.finalize())
        case .sha256(let hash): Array(hash.finalize())
        }
    }

    /// Base64 of the digest: the header and XML form.
    func value() -> String {
        Data(digest()).base64EncodedString()
    }

    /// A multipart object's composite checksum: the checksum of the parts' concatenated raw
    /// checksums, suffixed with the part count.
    static func composite(_ algorithm: ChecksumAlgorithm, partValues: [String]) -> String? {
        var hasher = ChecksumHasher(algorithm)
        for value in partValues {
            guard let raw = Data(base64Encoded: value), raw.count == algorithm.digestLength else { return nil }
            hasher.update(Array(raw))
        }
        return "\(hasher.value())-\(partValues.count)"
    }
}

/// Reflected CRC lookup tables, built once.
enum CRCTables {
    static let crc32 = table32(polynomial: 0xEDB8_8320)
    static let crc32c = table32(polynomial: 0x82F6_3B78)
    static let crc64nvme: [UInt64] = (0..<256).map { index in
        var crc = UInt64(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x9A6C_9329_AC4B_C9B5 : crc >> 1 }
        return crc
    }

    private static func table32(polynomial: UInt32) -> [UInt32] {
        (0..<256).map { index in
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            return crc
        }
    }
}
