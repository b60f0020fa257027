import NimbusCore
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
        case .crc32(let crc):
            state = .crc32((algorithm == .crc32 ? CRCTables.crc32 : CRCTables.crc32c).update(crc, with: bytes))
        case .crc64(let crc):
            state = .crc64(CRCTables.crc64nvme.update(crc, with: bytes))
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
