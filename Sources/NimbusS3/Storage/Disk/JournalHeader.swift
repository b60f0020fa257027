import NimbusCore

/// The first block of a journal file: which generation its records belong to.
///
/// A file is reused by overwriting its header with a new generation; the previous generation's
/// records stay behind it but no longer match, so the log ends at the first of them. The header is
/// only ever rewritten on a file none of whose records are still needed.
struct JournalHeader: Equatable, Sendable {
    static let size = 4096
    static let magic: [UInt8] = Array("NIMBUSJ1".utf8)

    var generation: UInt64

    /// The whole block, zero-padded.
    func encoded() -> [UInt8] {
        var bytes = Self.magic
        withUnsafeBytes(of: generation.littleEndian) { bytes.append(contentsOf: $0) }
        let crc = bytes.withUnsafeBytes { ~CRCTables.crc32c.update(~0, with: $0) }
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: repeatElement(0, count: Self.size - bytes.count))
        return bytes
    }

    /// `nil` when the block is not a valid header (never written, or torn).
    init?(decoding bytes: [UInt8]) {
        guard bytes.count >= 20, Array(bytes[0..<8]) == Self.magic else { return nil }
        let (generation, crc, stored) = bytes.withUnsafeBytes { raw in
            (
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                ~CRCTables.crc32c.update(~0, with: UnsafeRawBufferPointer(rebasing: raw[0..<16])),
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
            )
        }
        guard crc == stored else { return nil }
        self.generation = generation
    }

    init(generation: UInt64) {
        self.generation = generation
    }
}
