import Testing

@testable import NimbusS3

@Suite struct JournalRecordTests {
    static let records: [JournalRecord] = [
        JournalRecord(bucket: "b", key: "a/ü/😀", change: .put(objectFile: Array("body and trailer".utf8))),
        JournalRecord(bucket: "bucket-2", key: String(repeating: "k", count: 1024), change: .put(objectFile: [])),
        JournalRecord(bucket: "b", key: "large", change: .publish(stagedFile: "tmp-abc-def")),
        JournalRecord(bucket: "b", key: "gone", change: .delete),
        .checkpoint,
    ]

    static func encoded(_ record: JournalRecord, generation: UInt64, sequence: UInt64) -> [UInt8] {
        var encoded = EncodedJournalRecord(record)
        encoded.stamp(generation: generation, sequence: sequence)
        return encoded.bytes
    }

    /// A journal file: header of `generation`, then `records` numbered from `firstSequence`.
    static func file(generation: UInt64, records: [JournalRecord], firstSequence: UInt64 = 1) -> [UInt8] {
        var bytes = JournalHeader(generation: generation).encoded()
        for (offset, record) in records.enumerated() {
            bytes += encoded(record, generation: generation, sequence: firstSequence + UInt64(offset))
        }
        return bytes + [UInt8](repeating: 0, count: 256)
    }

    @Test(arguments: records)
    func roundTrip(_ record: JournalRecord) throws {
        let bytes = Self.encoded(record, generation: 42, sequence: 7)
        let (entry, next) = try #require(JournalEntry.decode([9, 9] + bytes, at: 2))
        #expect(entry == JournalEntry(generation: 42, sequence: 7, record: record))
        #expect(next == bytes.count + 2)
    }

    @Test func headerRoundTripAndTornHeader() {
        var block = JournalHeader(generation: 12).encoded()
        #expect(block.count == JournalHeader.size)
        #expect(JournalHeader(decoding: block) == JournalHeader(generation: 12))
        block[9] ^= 1
        #expect(JournalHeader(decoding: block) == nil)
        #expect(JournalHeader(decoding: [UInt8](repeating: 0, count: JournalHeader.size)) == nil)
        #expect(JournalRecovery.scan([UInt8](repeating: 0, count: 8192)) == nil)
    }

    @Test func scanReadsEveryRecordUpToTheZeros() throws {
        let scanned = try #require(JournalRecovery.scan(Self.file(generation: 3, records: Self.records)))
        #expect(scanned.generation == 3)
        #expect(scanned.entries.map(\.record) == Self.records)
        #expect(scanned.entries.map(\.sequence) == [1, 2, 3, 4, 5])
    }

    /// A record cut short by the crash, or with any byte wrong, ends the log at the one before.
    @Test func tornOrCorruptTailStopsAtTheLastGoodRecord() throws {
        let records = Array(Self.records.prefix(4))
        let whole = Self.file(generation: 3, records: records)
        let lastStart = JournalHeader.size + records.prefix(3).map { Self.encoded($0, generation: 3, sequence: 1).count }.reduce(0, +)
        let lastLength = Self.encoded(records[3], generation: 3, sequence: 4).count

        var torn = Array(whole[0..<(lastStart + lastLength - 3)])
        #expect(JournalRecovery.scan(torn)?.entries.count == 3)
        torn = Array(whole[0..<lastStart]) + [UInt8](repeating: 0, count: lastLength)
        #expect(JournalRecovery.scan(torn)?.entries.count == 3)

        for position in [lastStart, lastStart + 4, lastStart + 9, lastStart + lastLength - 1] {
            var corrupt = whole
            corrupt[position] ^= 0x40
            #expect(JournalRecovery.scan(corrupt)?.entries.count == 3, "byte \(position - lastStart)")
        }
        var middle = whole
        middle[JournalHeader.size + 20] ^= 1
        #expect(JournalRecovery.scan(middle)?.entries.count == 0)
    }

    /// A reused file still holds the previous generation's records behind the new ones.
    @Test func staleGenerationRecordsAreIgnored() throws {
        let old = Self.file(generation: 4, records: Self.records, firstSequence: 10)
        var reused = Self.file(generation: 6, records: [Self.records[3]], firstSequence: 30)
        reused = Array(reused[0..<(reused.count - 256)])
        reused += old[reused.count...]
        let scanned = try #require(JournalRecovery.scan(reused))
        #expect(scanned.generation == 6)
        #expect(scanned.entries.map(\.sequence) == [30])

        // Records out of sequence end the log too.
        let gap = JournalHeader(generation: 2).encoded() + Self.encoded(Self.records[0], generation: 2, sequence: 1)
            + Self.encoded(Self.records[1], generation: 2, sequence: 3)
        #expect(JournalRecovery.scan(gap)?.entries.count == 1)
    }

    /// A checkpoint record in generation g kills every earlier generation's records.
    @Test func liveEntriesStartAtTheNewestCheckpointedGeneration() throws {
        let older = try #require(JournalRecovery.scan(Self.file(generation: 6, records: Array(Self.records[0..<3]), firstSequence: 1)))
        let newer = try #require(JournalRecovery.scan(Self.file(generation: 7, records: [Self.records[3]], firstSequence: 4)))
        #expect(JournalRecovery.liveEntries([newer, older]).map(\.sequence) == [1, 2, 3, 4])

        let checkpointed = try #require(
            JournalRecovery.scan(Self.file(generation: 7, records: [Self.records[3], .checkpoint], firstSequence: 4)))
        #expect(JournalRecovery.liveEntries([older, checkpointed]).map(\.sequence) == [4])
        let onlyCheckpoint = try #require(JournalRecovery.scan(Self.file(generation: 8, records: [.checkpoint], firstSequence: 9)))
        #expect(JournalRecovery.liveEntries([onlyCheckpoint, checkpointed]).isEmpty)
    }
}
