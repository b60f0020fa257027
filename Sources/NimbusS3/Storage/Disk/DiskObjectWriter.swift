import Synchronization

/// The on-disk ``ObjectWriter``: bytes go to a staging file, which `finish` completes with the
/// metadata trailer and renames into place.
///
/// The first bytes wait in memory, and the staging file is only created once they overflow: a
/// small object is then created, written (body and trailer in one `write`) and published in one go
/// by `finish`, which the service runs on the blocking pool, so file creation does not hold up the
/// event loop either. With durable writes, an object is made durable by the bucket's journal: a
/// small one's bytes go into its record and its file is never flushed; a large one is flushed and
/// its record names it. Parts are flushed and their directory synced, as without a journal.
final class DiskObjectWriter: ObjectWriter {
    static let bufferLimit = 64 * 1024
    /// With durable writes, a large body is written back to disk as it arrives, every this many
    /// bytes, rather than all at once by the final `fsync`: it overlaps the rest of the upload.
    static let writebackInterval: Int64 = 8 << 20

    let bucket: DiskBucket
    let target: WriteTarget

    private struct State {
        var buffered: [UInt8] = []
        var file: StagedFile?
        var written: Int64 = 0
        var writtenBack: Int64 = 0
    }

    private let state = Mutex(State())

    init(bucket: DiskBucket, target: WriteTarget) {
        self.bucket = bucket
        self.target = target
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try state.withLock { state in
            if state.file == nil {
                guard state.buffered.count + bytes.count > Self.bufferLimit else {
                    state.buffered.append(contentsOf: bytes)
                    return
                }
                state.file = try createFile()
                try state.file!.append(state.buffered)
                state.written = Int64(state.buffered.count)
                state.buffered = []
            }
            try state.file!.append(bytes)
            state.written += Int64(bytes.count)
            if bucket.durable && state.written - state.writtenBack >= Self.writebackInterval {
                POSIX.startWriteback(
                    state.file!.descriptor, offset: state.writtenBack, length: state.written - state.writtenBack)
                state.writtenBack = state.written
            }
        }
    }

    func finish(_ metadata: ObjectMetadata) throws {
        switch target {
        case .object(let key, let condition):
            if metadata.versionID != nil {
                try bucket.publishVersion(try finishFlushed(metadata), as: key, metadata: metadata, condition: condition)
            } else if bucket.journal != nil {
                let (staged, change) = try finishJournaled(metadata)
                try bucket.publish(staged, as: key, metadata: metadata, condition: condition, change: change)
            } else {
                try bucket.publish(try finishFlushed(metadata), as: key, metadata: metadata, condition: condition)
            }
        case .part(let uploadID, let number):
            try bucket.publishPart(try finishFlushed(metadata), uploadID: uploadID, partNumber: number)
        }
    }

    /// Completes the staged file and flushes it (when durable): parts, and objects without a journal.
    private func finishFlushed(_ metadata: ObjectMetadata) throws -> StagedFile {
        try state.withLock { state in
            if let file = state.file {
                try file.finish(with: metadata, durable: bucket.durable)
                return file
            }
            let file = try createFile()
            state.file = file
            try file.finish(with: metadata, after: state.buffered, durable: bucket.durable)
            return file
        }
    }

    /// Completes the staged file for a journaled publish. A small object is not flushed at all: its
    /// record carries the whole object file. A large one is flushed, and so is its name in
    /// `staging/`, since its record only names it.
    private func finishJournaled(_ metadata: ObjectMetadata) throws -> (StagedFile, JournalRecord.Change) {
        try state.withLock { state in
            if let file = state.file {
                try file.finish(with: metadata, durable: true)
                do {
                    try POSIX.syncDirectory(bucket.stagingDirectory)
                } catch {
                    _ = try? POSIX.remove(file.path)
                    throw error
                }
                return (file, .publish(stagedFile: file.name))
            }
            let bytes = state.buffered + ObjectFile.trailer(for: metadata)
            let file = try createFile()
            state.file = file
            try file.finish(writing: bytes, durable: false)
            return (file, .put(objectFile: bytes))
        }
    }

    /// The staging directory goes when the bucket is deleted.
    private func createFile() throws -> StagedFile {
        do {
            return try StagedFile.create(in: bucket.stagingDirectory)
        } catch let failure as POSIXFailure where failure.isNotFound {
            throw S3Error.noSuchBucket(bucket.name)
        }
    }

    func discard() {
        state.withLock { $0.file?.discard() }
    }
}
