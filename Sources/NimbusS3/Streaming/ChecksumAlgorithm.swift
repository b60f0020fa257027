/// The additional checksums S3 accepts (`x-amz-checksum-*`), named as on the wire.
enum ChecksumAlgorithm: String, Sendable, CaseIterable {
    case crc32, crc32c, crc64nvme, sha1, sha256

    /// `x-amz-checksum-crc32` …
    var headerName: String { "x-amz-checksum-\(rawValue)" }

    /// `ChecksumCRC32` …, the XML element and response field name.
    var xmlName: String {
        switch self {
        case .crc32: "ChecksumCRC32"
        case .crc32c: "ChecksumCRC32C"
        case .crc64nvme: "ChecksumCRC64NVME"
        case .sha1: "ChecksumSHA1"
        case .sha256: "ChecksumSHA256"
        }
    }

    /// The name in `x-amz-checksum-algorithm` / `x-amz-sdk-checksum-algorithm` (`CRC32`, `SHA256` …).
    init?(name: some StringProtocol) {
        self.init(rawValue: name.lowercased())
    }

    init?(headerName: some StringProtocol) {
        let lowered = headerName.lowercased()
        guard lowered.hasPrefix("x-amz-checksum-") else { return nil }
        self.init(rawValue: String(lowered.dropFirst("x-amz-checksum-".count)))
    }

    /// Length of the raw digest in bytes.
    var digestLength: Int {
        switch self {
        case .crc32, .crc32c: 4
        case .crc64nvme: 8
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// CRCs are full-object checksums AWS can combine; SHAs are composite only.
    var isCRC: Bool { self == .crc32 || self == .crc32c || self == .crc64nvme }
}
