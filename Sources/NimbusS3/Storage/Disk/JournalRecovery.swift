/// Reading the journal back after a crash, and applying what it says to the bucket directories.
enum JournalRecovery {
    /// One journal file's valid records: those after its header that carry its generation, in
    /// unbroken sequence, up to the first torn, corrupt, zero or stale one.
    struct ScannedFile: Sendable {
        var generation: UInt64
        var entries: [JournalEntry]
        var end: Int
        var hasCheckpoint: Bool { entries.contains { $0.record.change == .checkpoint } }
    }

    /// `nil` when the file has no valid header (never used, or its header write was torn).
    static func scan(_ bytes: [UInt8]) -> ScannedFile? {
        guard bytes.count >= JournalHeader.size,
            let header = JournalHeader(decoding: Array(bytes[0..<JournalHeader.size]))
        else { return nil }
        var scanned = ScannedFile(generation: header.generation, entries: [], end: JournalHeader.size)
        while let (entry, next) = JournalEntry.decode(bytes, at: scanned.end), entry.generation == header.generation {
            if let previous = scanned.entries.last, entry.sequence != previous.sequence + 1 { break }
            scanned.entries.append(entry)
            scanned.end = next
        }
        return scanned
    }

    /// The records whose effects may not be durable: every file of a generation at or after the
    /// newest one holding a checkpoint record (which says all earlier generations are durable),
    /// without the checkpoint records themselves, in sequence order.
    static func liveEntries(_ files: [ScannedFile]) -> [JournalEntry] {
        let firstLive = files.filter(\.hasCheckpoint).map(\.generation).max() ?? 0
        return files.filter { $0.generation >= firstLive }
            .flatMap(\.entries)
            .filter { $0.record.change != .checkpoint }
            .sorted { $0.sequence < $1.sequence }
    }

    private struct Target: Hashable {
        var bucket: String
        var key: ObjectKey
    }

    /// Brings every key the records name to the state of its last record; returns how many keys it
    /// touched. Only the last record counts: it is what the key was acknowledged as, and a `publish`
    /// whose staged file is gone was already renamed (its name was flushed before the record), so
    /// replaying earlier records would only undo it. Running it twice is running it once.
    /// Records of buckets that no longer exist are skipped.
    @discardableResult
    static func replay(_ entries: [JournalEntry], bucketsRoot: String) throws -> Int {
        var last: [Target: JournalRecord.Change] = [:]
        var order: [Target] = []
        for entry in entries {
            let target = Target(bucket: entry.record.bucket, key: ObjectKey(trusted: entry.record.key))
            if last.updateValue(entry.record.change, forKey: target) == nil { order.append(target) }
        }
        var touched = 0
        for target in order {
            guard BucketName.isValid(target.bucket), !target.key.string.isEmpty else { continue }
            let bucketDirectory = bucketsRoot + "/" + target.bucket
            guard POSIX.isDirectory(bucketDirectory + "/objects") else { continue }
            let staging = bucketDirectory + "/staging"
            let path = bucketDirectory + "/objects/" + DiskBucket.fileName(for: target.key)
            switch last[target]! {
            case .put(let objectFile):
                try POSIX.makeDirectory(staging)
                let staged = try StagedFile.create(in: staging)
                try staged.finish(writing: objectFile, durable: false)
                try POSIX.rename(staged.path, path)
            case .publish(let stagedFile):
                guard StagedFile.isValidName(stagedFile) else { continue }
                do {
                    try POSIX.rename(staging + "/" + stagedFile, path)
                } catch let failure as POSIXFailure where failure.isNotFound {
                    // Renamed before the crash.
                }
            case .delete:
                try POSIX.remove(path)
            case .checkpoint:
                continue
            }
            touched += 1
        }
        return touched
    }
}
