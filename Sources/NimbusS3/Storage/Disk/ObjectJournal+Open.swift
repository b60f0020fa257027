import Logging

/// Opening the journal at startup: creating it the first time, otherwise replaying what a crash
/// left live, then starting a fresh generation.
extension ObjectJournal {
    /// Opens the journal under `dataDirectory` (`journal/`, beside `buckets/`, never inside it),
    /// replaying its live records into `bucketsRoot` before the buckets are loaded. Without
    /// `durable` there is no journal: an existing one is still replayed, then left empty, and the
    /// result is nil.
    static func open(
        dataDirectory: String, bucketsRoot: String, durable: Bool, fileSize: Int = defaultFileSize, logger: Logger
    ) throws -> ObjectJournal? {
        let directory = dataDirectory + "/journal"
        if !POSIX.isDirectory(directory) {
            guard durable else { return nil }
            try create(directory, dataDirectory: dataDirectory, fileSize: fileSize)
        }
        let lockDescriptor = try POSIX.openDirectory(directory)
        guard POSIX.lockExclusively(lockDescriptor, timeout: 10) else {
            POSIX.closeDescriptor(lockDescriptor)
            throw POSIXFailure(operation: "flock", path: directory, errno: 11)
        }
        var files: [File] = []
        var bucketsDescriptor: Int32 = -1
        do {
            for name in fileNames {
                let path = directory + "/" + name
                let descriptor = try POSIX.openForUpdate(path, create: false)
                files.append(File(path: path, descriptor: descriptor, size: 0))
                files[files.count - 1] = File(
                    path: path, descriptor: descriptor, size: Int(try POSIX.fileSize(descriptor, path: path)))
            }
            bucketsDescriptor = try POSIX.openDirectory(bucketsRoot)
            let state = try recover(files, bucketsRoot: bucketsRoot, bucketsDescriptor: bucketsDescriptor, logger: logger)
            guard durable else { throw Closing() }
            let journal = ObjectJournal(
                directory: directory, files: files, bucketsDescriptor: bucketsDescriptor, lockDescriptor: lockDescriptor,
                state: state)
            journal.startCheckpointer()
            return journal
        } catch {
            for file in files { POSIX.closeDescriptor(file.descriptor) }
            if bucketsDescriptor >= 0 { POSIX.closeDescriptor(bucketsDescriptor) }
            POSIX.closeDescriptor(lockDescriptor)
            if error is Closing { return nil }
            throw error
        }
    }

    private struct Closing: Error {}

    /// Replays the live records, makes their effects durable, then writes a new generation's
    /// header and a checkpoint record into the older file: from then on nothing before is live.
    /// A crash anywhere in here replays the same records again.
    private static func recover(_ files: [File], bucketsRoot: String, bucketsDescriptor: Int32, logger: Logger) throws
        -> State
    {
        let scanned = try files.map(scan)
        let live = JournalRecovery.liveEntries(scanned.compactMap { $0 })
        if !live.isEmpty {
            let touched = try JournalRecovery.replay(live, bucketsRoot: bucketsRoot)
            try POSIX.syncFileSystem(bucketsDescriptor, path: bucketsRoot)
            logger.notice(
                "s3 journal replayed", metadata: ["s3.journal.records": "\(live.count)", "s3.journal.keys": "\(touched)"])
        }
        let generation = (scanned.compactMap { $0?.generation }.max() ?? 0) + 1
        let sequence = (scanned.compactMap { $0?.entries.last?.sequence }.max() ?? 0) + 1
        // The older file (or one without a valid header) starts the new generation.
        let generations = scanned.map { $0.map { Int64(bitPattern: $0.generation) } ?? -1 }
        let target = generations[0] <= generations[1] ? 0 : 1
        let file = files[target]
        var checkpoint = EncodedJournalRecord(.checkpoint)
        checkpoint.stamp(generation: generation, sequence: sequence)
        try POSIX.writeAll(
            file.descriptor, JournalHeader(generation: generation).encoded() + checkpoint.bytes, at: 0, path: file.path)
        try POSIX.dataSync(file.descriptor, path: file.path)
        return State(
            activeIndex: target, generation: generation, offset: JournalHeader.size + checkpoint.count,
            nextSequence: sequence + 1, durableSequence: sequence)
    }

    /// Reads as much of `file` as its valid records need: a prefix, doubled while the last record
    /// may reach past it. A journal holding little, as at most starts, costs one small read rather
    /// than its whole 16 MiB.
    private static func scan(_ file: File) throws -> JournalRecovery.ScannedFile? {
        var wanted = min(file.size, 256 << 10)
        while true {
            var bytes = [UInt8](repeating: 0, count: wanted)
            let count = try bytes.withUnsafeMutableBytes {
                try POSIX.readFully(file.descriptor, into: $0, at: 0, path: file.path)
            }
            bytes.removeSubrange(count...)
            let scanned = JournalRecovery.scan(bytes)
            guard count == wanted, wanted < file.size, let scanned,
                JournalEntry.isCutShort(bytes, at: scanned.end)
            else { return scanned }
            wanted = min(file.size, wanted * 2)
        }
    }

    /// Writes both files full of zeros and flushes them, in a temporary directory renamed into
    /// place, so a crash never leaves a journal of the wrong size.
    private static func create(_ directory: String, dataDirectory: String, fileSize: Int) throws {
        let temporary = dataDirectory + "/.journal-new"
        try POSIX.removeTree(temporary)
        try POSIX.makeDirectory(temporary)
        let zeros = [UInt8](repeating: 0, count: min(fileSize, 1 << 20))
        for name in fileNames {
            let path = temporary + "/" + name
            let descriptor = try POSIX.openForUpdate(path, create: true)
            defer { POSIX.closeDescriptor(descriptor) }
            var offset = 0
            while offset < fileSize {
                let chunk = min(zeros.count, fileSize - offset)
                try POSIX.writeAll(
                    descriptor, chunk == zeros.count ? zeros : Array(zeros[0..<chunk]), at: Int64(offset), path: path)
                offset += chunk
            }
            try POSIX.sync(descriptor, path: path)
        }
        try POSIX.syncDirectory(temporary)
        try POSIX.rename(temporary, directory)
        try POSIX.syncDirectory(dataDirectory)
    }
}
