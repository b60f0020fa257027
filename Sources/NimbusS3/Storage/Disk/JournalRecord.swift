import NimbusCore

/// One object-key mutation in the ``ObjectJournal``, and its on-disk encoding.
///
/// ```
/// [UInt32 length][UInt32 CRC-32C]                          length counts what follows the CRC
/// [UInt8 kind][String bucket][String key][payload]
/// [UInt64 generation][UInt64 sequence]
/// ```
/// The CRC covers the length and everything after it. Generation and sequence come last so that
/// the CRC of the rest (up to 64 KiB of object bytes) is computed before the journal's lock is
/// taken; only the last 16 bytes are folded in under it.
struct JournalRecord: Equatable, Sendable {
    enum Change: Equatable, Sendable {
        /// The key's object file is exactly these bytes (body + trailer): a small object.
        case put(objectFile: [UInt8])
        /// The staged file `stagedFile` (already flushed, in the bucket's `staging/`) became the key:
        /// a large object.
        case publish(stagedFile: String)
        case delete
        /// Everything the records of earlier generations describe is durable: they are dead.
        case checkpoint
    }

    var bucket: String
    var key: String
    var change: Change

    static let checkpoint = JournalRecord(bucket: "", key: "", change: .checkpoint)
}

/// A record as found in the journal.
struct JournalEntry: Equatable, Sendable {
    var generation: UInt64
    var sequence: UInt64
    var record: JournalRecord
}

/// A record encoded for appending: complete but for its generation, sequence and final CRC.
struct EncodedJournalRecord {
    static let prefixLength = 8
    static let suffixLength = 16
    /// kind + two empty strings + suffix.
    static let minimumLength = 1 + 4 + 4 + suffixLength

    private(set) var bytes: [UInt8]
    /// CRC-32C state (pre-inverted) over the length and the body, without the suffix.
    private let partialCRC: UInt32

    init(_ record: JournalRecord) {
        var bytes: [UInt8] = []
        let payloadCount: Int
        switch record.change {
        case .put(let objectFile): payloadCount = objectFile.count
        case .publish(let stagedFile): payloadCount = 4 + stagedFile.utf8.count
        case .delete, .checkpoint: payloadCount = 0
        }
        let length = 1 + 4 + record.bucket.utf8.count + 4 + record.key.utf8.count + payloadCount + Self.suffixLength
        bytes.reserveCapacity(Self.prefixLength + length)
        Self.append(UInt32(length), to: &bytes)
        Self.append(UInt32(0), to: &bytes)  // CRC, stamped later
        switch record.change {
        case .put: bytes.append(1)
        case .publish: bytes.append(2)
        case .delete: bytes.append(3)
        case .checkpoint: bytes.append(4)
        }
        Self.append(record.bucket, to: &bytes)
        Self.append(record.key, to: &bytes)
        switch record.change {
        case .put(let objectFile): bytes.append(contentsOf: objectFile)
        case .publish(let stagedFile): Self.append(stagedFile, to: &bytes)
        case .delete, .checkpoint: break
        }
        var crc = ~UInt32(0)
        bytes.withUnsafeBytes { raw in
            crc = CRCTables.crc32c.update(crc, with: UnsafeRawBufferPointer(rebasing: raw[0..<4]))
            crc = CRCTables.crc32c.update(crc, with: UnsafeRawBufferPointer(rebasing: raw[Self.prefixLength...]))
        }
        bytes.append(contentsOf: repeatElement(0, count: Self.suffixLength))
        self.bytes = bytes
        self.partialCRC = crc
    }

    var count: Int { bytes.count }

    /// Fills in the generation, the sequence and the CRC over everything.
    mutating func stamp(generation: UInt64, sequence: UInt64) {
        let suffixStart = bytes.count - Self.suffixLength
        var crc = partialCRC
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: generation.littleEndian, toByteOffset: suffixStart, as: UInt64.self)
            raw.storeBytes(of: sequence.littleEndian, toByteOffset: suffixStart + 8, as: UInt64.self)
            crc = ~CRCTables.crc32c.update(crc, with: UnsafeRawBufferPointer(rebasing: raw[suffixStart...]))
            raw.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
        }
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ string: String, to bytes: inout [UInt8]) {
        append(UInt32(string.utf8.count), to: &bytes)
        bytes.append(contentsOf: string.utf8)
    }
}

extension JournalEntry {
    /// Decodes the record at `offset` of `bytes`, with the offset just past it; `nil` where the log
    /// ends: zeros, a torn or corrupt record, or one that does not fit.
    static func decode(_ bytes: [UInt8], at offset: Int) -> (entry: JournalEntry, next: Int)? {
        guard offset >= 0, bytes.count - offset >= EncodedJournalRecord.prefixLength else { return nil }
        return bytes.withUnsafeBytes { raw -> (JournalEntry, Int)? in
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let storedCRC = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let bodyStart = offset + EncodedJournalRecord.prefixLength
            guard length >= EncodedJournalRecord.minimumLength, raw.count - bodyStart >= length else { return nil }
            let end = bodyStart + length
            var crc = CRCTables.crc32c.update(~0, with: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 4)]))
            crc = ~CRCTables.crc32c.update(crc, with: UnsafeRawBufferPointer(rebasing: raw[bodyStart..<end]))
            guard crc == storedCRC else { return nil }
            let suffixStart = end - EncodedJournalRecord.suffixLength
            let generation = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: suffixStart, as: UInt64.self))
            let sequence = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: suffixStart + 8, as: UInt64.self))
            var reader = BinaryReader(bytes[bodyStart..<suffixStart])
            guard let record = try? decodeRecord(&reader, payloadEnd: suffixStart, bytes: bytes) else { return nil }
            return (JournalEntry(generation: generation, sequence: sequence, record: record), end)
        }
    }

    /// Whether the record starting at `offset` would need bytes past the end of `bytes`: then a
    /// longer read of the file may show more of the log.
    static func isCutShort(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard bytes.count - offset >= EncodedJournalRecord.prefixLength else { return true }
        let length = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }
        return offset + EncodedJournalRecord.prefixLength + length > bytes.count
    }

    private static func decodeRecord(_ reader: inout BinaryReader, payloadEnd: Int, bytes: [UInt8]) throws(BinaryReader.Failure)
        -> JournalRecord
    {
        let kind = try reader.readByte()
        let bucket = try reader.readString()
        let key = try reader.readString()
        let change: JournalRecord.Change
        switch kind {
        case 1:
            change = .put(objectFile: Array(bytes[reader.position..<payloadEnd]))
            return JournalRecord(bucket: bucket, key: key, change: change)
        case 2: change = .publish(stagedFile: try reader.readString())
        case 3: change = .delete
        case 4: change = .checkpoint
        default: throw BinaryReader.Failure()
        }
        guard reader.isAtEnd else { throw BinaryReader.Failure() }
        return JournalRecord(bucket: bucket, key: key, change: change)
    }
}
