import Foundation

/// A write-ahead log of object-key mutations (put, publish, delete), so that an acknowledged
/// write costs one shared `fdatasync` of the log instead of an `fsync` of the object file and
/// another of its directory.
///
/// Two files of fixed size, written full of zeros once and then only overwritten in place: an
/// `fdatasync` of an already-allocated region of a file is a data write and a device cache flush,
/// not a file-system journal commit. One file is active; when it fills (or every few seconds) the
/// log switches to the other with a new generation, and a checkpoint (`syncfs`) makes everything
/// the old file's records describe durable before the old file may be reused.
///
/// Writers append under their bucket's lock, in the same critical section as the rename or unlink
/// the record describes (``append(_:apply:)``), then wait, outside every lock, for the log to be
/// durable up to their record (``waitUntilDurable(_:)``): group commit, one `fdatasync` for every
/// record written while the previous one ran. Recovery is in `ObjectJournal+Open.swift`, the
/// checkpoints in `ObjectJournal+Checkpoint.swift`.
final class ObjectJournal: @unchecked Sendable {
    static let defaultFileSize = 16 << 20
    static let fileNames = ["log-0", "log-1"]
    /// Room kept at the end of the active file for the checkpoint records of the switch to come.
    static let checkpointReserve = 2 * 64
    /// The active file is switched (and the other checkpointed) once it has had records this long.
    static let checkpointInterval: Duration = .seconds(5)

    struct File {
        let path: String
        let descriptor: Int32
        let size: Int
    }

    struct State {
        var activeIndex: Int
        var generation: UInt64
        /// Where the next record goes in the active file.
        var offset: Int
        var nextSequence: UInt64
        var durableSequence: UInt64
        var isFlushing = false
        /// The inactive file holds records (generation - 1) not yet checkpointed.
        var inactiveIsLive = false
        /// Records in the active file, not counting checkpoint records.
        var activeRecords = 0
        var activeSince = ContinuousClock.now
        /// Records appended whose rename or unlink has not happened yet, by generation: a
        /// checkpoint of a generation waits for them.
        var unapplied: [UInt64: Int] = [:]
        /// A failed flush: durability is unknown from then on, so every later write fails.
        var failure: POSIXFailure?
        var isClosed = false
    }

    let directory: String
    let files: [File]
    /// The bucket root's directory, for `syncfs`, and the journal directory, held `flock`ed.
    let bucketsDescriptor: Int32
    let lockDescriptor: Int32
    /// Guards `state`; waited on for durability, space and applied records.
    let condition = NSCondition()
    var state: State
    /// Serialises checkpoints; wakes the background checkpointer.
    let checkpointLock = NSLock()
    let checkpointSignal = NSCondition()
    var checkpointWanted = false

    init(directory: String, files: [File], bucketsDescriptor: Int32, lockDescriptor: Int32, state: State) {
        self.directory = directory
        self.files = files
        self.bucketsDescriptor = bucketsDescriptor
        self.lockDescriptor = lockDescriptor
        self.state = state
    }

    deinit {
        for file in files { POSIX.closeDescriptor(file.descriptor) }
        POSIX.closeDescriptor(bucketsDescriptor)
        POSIX.closeDescriptor(lockDescriptor)
    }

    struct RecordTooLarge: Error {}

    /// Appends `record` (a `write` into the page cache, ordered by its sequence number), then runs
    /// `apply`, the file-system change it describes. Callers hold their bucket's lock around the
    /// whole call, so records and renames of a key are in the same order.
    func append<T>(_ record: JournalRecord, apply: () throws -> T) throws -> (sequence: UInt64, result: T) {
        var encoded = EncodedJournalRecord(record)
        condition.lock()
        let sequence: UInt64
        let generation: UInt64
        do {
            try reserveLocked(encoded.count)
            sequence = state.nextSequence
            generation = state.generation
            encoded.stamp(generation: generation, sequence: sequence)
            let file = files[state.activeIndex]
            try POSIX.writeAll(file.descriptor, encoded.bytes, at: Int64(state.offset), path: file.path)
            state.nextSequence += 1
            state.offset += encoded.count
            if state.activeRecords == 0 { state.activeSince = .now }
            state.activeRecords += 1
            state.unapplied[generation, default: 0] += 1
        } catch {
            condition.unlock()
            throw error
        }
        condition.unlock()
        defer { markApplied(generation) }
        return (sequence, try apply())
    }

    private func markApplied(_ generation: UInt64) {
        condition.lock()
        let left = state.unapplied[generation, default: 1] - 1
        state.unapplied[generation] = left == 0 ? nil : left
        if left == 0 && generation != state.generation { condition.broadcast() }
        condition.unlock()
    }

    /// Makes room for `count` bytes in the active file: switches files when it is full, waiting for
    /// the checkpoint of the other one first if that is still in progress.
    private func reserveLocked(_ count: Int) throws {
        while true {
            if let failure = state.failure { throw failure }
            let file = files[state.activeIndex]
            if state.offset + count + Self.checkpointReserve <= file.size { return }
            guard JournalHeader.size + count + 2 * Self.checkpointReserve <= file.size else { throw RecordTooLarge() }
            if state.inactiveIsLive {
                requestCheckpoint()
                condition.wait()
                continue
            }
            try rotateLocked()
        }
    }

    /// Appends a checkpoint record into the space kept for it (never switching files).
    func appendCheckpointRecord() throws -> UInt64 {
        var encoded = EncodedJournalRecord(.checkpoint)
        condition.lock()
        defer { condition.unlock() }
        if let failure = state.failure { throw failure }
        let file = files[state.activeIndex]
        guard state.offset + encoded.count <= file.size else { throw RecordTooLarge() }
        let sequence = state.nextSequence
        encoded.stamp(generation: state.generation, sequence: sequence)
        try POSIX.writeAll(file.descriptor, encoded.bytes, at: Int64(state.offset), path: file.path)
        state.nextSequence += 1
        state.offset += encoded.count
        return sequence
    }

    /// Switches to the other file, which must hold nothing live: the active one is flushed first
    /// (its waiters are then done), then the other gets the next generation's header, which the
    /// first flush of its records makes durable with them.
    func rotateLocked() throws {
        let old = files[state.activeIndex]
        try flushLocked(old)
        state.durableSequence = max(state.durableSequence, state.nextSequence - 1)
        let nextIndex = 1 - state.activeIndex
        let next = files[nextIndex]
        try POSIX.writeAll(
            next.descriptor, JournalHeader(generation: state.generation + 1).encoded(), at: 0, path: next.path)
        state.inactiveIsLive = state.activeRecords > 0
        state.activeIndex = nextIndex
        state.generation += 1
        state.offset = JournalHeader.size
        state.activeRecords = 0
        condition.broadcast()
    }

    private func flushLocked(_ file: File) throws {
        do {
            try POSIX.dataSync(file.descriptor, path: file.path)
        } catch let failure as POSIXFailure {
            state.failure = state.failure ?? failure
            condition.broadcast()
            throw failure
        }
    }

    /// Returns once the log is durable up to `sequence`. The first waiter flushes everything
    /// appended so far; the others wait for it, and one of those still not covered flushes next.
    func waitUntilDurable(_ sequence: UInt64) throws {
        condition.lock()
        defer { condition.unlock() }
        while state.durableSequence < sequence {
            if let failure = state.failure { throw failure }
            if state.isFlushing {
                condition.wait()
                continue
            }
            state.isFlushing = true
            let target = state.nextSequence - 1
            let file = files[state.activeIndex]
            condition.unlock()
            var failure: POSIXFailure?
            do {
                try POSIX.dataSync(file.descriptor, path: file.path)
            } catch {
                failure = error as? POSIXFailure ?? POSIXFailure(operation: "fdatasync", path: file.path, errno: 5)
            }
            condition.lock()
            state.isFlushing = false
            if let failure {
                state.failure = state.failure ?? failure
            } else {
                state.durableSequence = max(state.durableSequence, target)
            }
            condition.broadcast()
        }
    }

    func requestCheckpoint() {
        checkpointSignal.lock()
        checkpointWanted = true
        checkpointSignal.signal()
        checkpointSignal.unlock()
    }
}
