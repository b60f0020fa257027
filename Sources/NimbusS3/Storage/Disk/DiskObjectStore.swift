import Logging
import Synchronization

/// The on-disk ``ObjectStore``: one directory per bucket under `<data directory>/buckets`, all
/// loaded at startup, and with durable writes the object journal in `<data directory>/journal`.
///
/// Startup also finishes what a crash interrupted: first the journal is replayed (acknowledged
/// writes whose files were not yet durable), then staging files (uploads that never completed)
/// and half-created buckets are deleted, so nothing partial ever becomes visible.
final class DiskObjectStore: ObjectStore {
    let root: String
    let durable: Bool
    let journal: ObjectJournal?
    private let loaded: Mutex<[String: DiskBucket]>
    /// Serialises CreateBucket and DeleteBucket, which checkpoint the journal; lookups take only
    /// `loaded`, briefly.
    private let bucketChanges = Mutex(())

    /// - Parameters:
    ///   - durable: every acknowledged write survives a crash or power loss (see
    ///     `S3Configuration.durableWrites`).
    ///   - journalFileSize: the size of each of the journal's two files (tests make it small).
    init(directory: String, durable: Bool, logger: Logger, journalFileSize: Int = ObjectJournal.defaultFileSize) throws {
        self.root = directory + "/buckets"
        self.durable = durable
        try POSIX.makeDirectories(root)
        let journal = try ObjectJournal.open(
            dataDirectory: directory, bucketsRoot: root, durable: durable, fileSize: journalFileSize, logger: logger)
        self.journal = journal
        var buckets: [String: DiskBucket] = [:]
        for name in try POSIX.directoryEntries(root) ?? [] {
            let path = root + "/" + name
            guard BucketName.isValid(name) else {
                // Leftovers of an interrupted CreateBucket / DeleteBucket (dot-prefixed names).
                if name.hasPrefix(".") { try? POSIX.removeTree(path) }
                continue
            }
            do {
                buckets[name] = try Self.load(
                    name: name, directory: path, durable: durable, journal: journal, logger: logger)
            } catch {
                logger.error("s3 bucket could not be loaded", metadata: ["s3.bucket": .string(name), "error": "\(error)"])
            }
        }
        self.loaded = Mutex(buckets)
    }

    private static func load(name: String, directory: String, durable: Bool, journal: ObjectJournal?, logger: Logger)
        throws -> DiskBucket
    {
        let configurationPath = directory + "/" + BucketConfiguration.fileName
        guard let descriptor = try POSIX.openForReading(configurationPath) else {
            throw POSIXFailure(operation: "open", path: configurationPath, errno: 2)
        }
        let file = OpenFile(descriptor: descriptor, path: configurationPath)
        var bytes = [UInt8](repeating: 0, count: Int(try POSIX.fileSize(descriptor, path: configurationPath)))
        try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
        let configuration = try BucketConfiguration.decode(bytes)

        for subdirectory in DiskBucket.subdirectories {
            try POSIX.makeDirectory(directory + "/" + subdirectory)
        }
        for leftover in try POSIX.directoryEntries(directory + "/staging") ?? [] {
            try POSIX.removeTree(directory + "/staging/" + leftover)
            _ = try? POSIX.remove(directory + "/staging/" + leftover)
        }
        // An unversioned bucket's objects are its index; a versioned one's files are its versions,
        // whose latest (unless a delete marker) make the index.
        let versioned = configuration.versioning != nil
        var index = KeyIndex()
        var versions = VersionIndex()
        var lastStamp: Int64 = 0
        let store = { (key: ObjectKey, summary: ObjectSummary) in
            if versioned { versions.put(key, summary) } else { index.upsert(key, summary) }
            lastStamp = max(lastStamp, summary.versionStamp)
        }
        for fileName in try POSIX.directoryEntries(directory + "/objects") ?? [] {
            let path = directory + "/objects/" + fileName
            loadFile(path, bucket: name, logger: logger) { metadata, key in
                guard DiskBucket.fileName(for: key) == fileName, metadata.versionID == nil else { return false }
                store(key, metadata.summary)
                return true
            }
        }
        let versionsRoot = directory + "/versions"
        for keyDirectory in versioned ? try POSIX.directoryEntries(versionsRoot) ?? [] : [] {
            for fileName in try POSIX.directoryEntries(versionsRoot + "/" + keyDirectory) ?? [] {
                let path = versionsRoot + "/" + keyDirectory + "/" + fileName
                loadFile(path, bucket: name, logger: logger) { metadata, key in
                    guard DiskBucket.fileName(for: key) == keyDirectory, metadata.versionID == fileName else {
                        return false
                    }
                    store(key, metadata.summary)
                    return true
                }
            }
        }
        let bucket = DiskBucket(
            name: name, directory: directory, configuration: configuration, index: index, durable: durable,
            journal: journal, versions: versioned ? versions : nil, lastStamp: lastStamp)
        if versioned { bucket.state.withLock { $0.mirrorAll() } }
        return bucket
    }

    /// Reads an object file's trailer and hands its metadata to `accept`, which says whether the
    /// file is where that metadata belongs; a corrupt or misplaced file is logged and skipped.
    private static func loadFile(
        _ path: String, bucket: String, logger: Logger, accept: (ObjectMetadata, ObjectKey) -> Bool
    ) {
        do {
            guard let opened = try ObjectFile.open(path, prefetch: 0) else { return }
            guard accept(opened.metadata, ObjectKey(trusted: opened.metadata.key)) else { throw ObjectFile.Corrupt(path: path) }
        } catch {
            logger.error("s3 object skipped", metadata: ["s3.bucket": .string(bucket), "error": "\(error)"])
        }
    }

    func bucket(_ name: String) throws(S3Error) -> any BucketStore {
        try diskBucket(name)
    }

    private func diskBucket(_ name: String) throws(S3Error) -> DiskBucket {
        if let bucket = loaded.withLock({ $0[name] }) { return bucket }
        guard BucketName.isValid(name) else { throw S3Error.invalidBucketName(name) }
        throw S3Error.noSuchBucket(name)
    }

    var buckets: [any BucketStore] {
        loaded.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// Builds the bucket under a dot-prefixed temporary name, then renames it into place. The
    /// journal is checkpointed first, so no record written before can ever be replayed into it.
    func createBucket(_ name: String, region: String, now: Int64) throws -> any BucketStore {
        guard BucketName.isValid(name) else { throw S3Error.invalidBucketName(name) }
        return try bucketChanges.withLock { _ in
            if loaded.withLock({ $0[name] }) != nil { throw S3Error.bucketAlreadyOwnedByYou(name) }
            try journal?.checkpoint(includingActive: true)
            let temporary = root + "/." + name + "-" + MultipartUpload.newID()
            let directory = root + "/" + name
            do {
                try POSIX.makeDirectory(temporary)
                for subdirectory in DiskBucket.subdirectories {
                    try POSIX.makeDirectory(temporary + "/" + subdirectory)
                }
                let configuration = BucketConfiguration(creationDate: now, region: region, lifecycleXML: nil)
                try DiskBucket.writeConfiguration(
                    configuration, directory: temporary, staging: temporary + "/staging", durable: durable)
                try POSIX.rename(temporary, directory)
                if durable { try POSIX.syncDirectory(root) }
                let bucket = DiskBucket(
                    name: name, directory: directory, configuration: configuration, index: KeyIndex(), durable: durable,
                    journal: journal)
                loaded.withLock { $0[name] = bucket }
                return bucket
            } catch {
                try? POSIX.removeTree(temporary)
                throw error
            }
        }
    }

    /// Renames the bucket's directory aside (so it disappears at once), checkpoints the journal
    /// (its records of the bucket are then dead, and replay skips them before that: the directory
    /// is gone), then deletes it.
    func deleteBucket(_ name: String) throws {
        let doomed = root + "/.deleted-" + name + "-" + MultipartUpload.newID()
        try bucketChanges.withLock { _ in
            let bucket = try diskBucket(name)
            try loaded.withLock { buckets in
                try bucket.markDeletedIfEmpty()
                try POSIX.rename(bucket.directory, doomed)
                buckets[name] = nil
            }
            if durable { try POSIX.syncDirectory(root) }
            try journal?.checkpoint(includingActive: true)
        }
        try POSIX.removeTree(doomed)
    }
}
