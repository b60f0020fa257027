import Crypto
import Synchronization

/// The on-disk ``BucketStore``: one directory, with an in-memory index of its keys.
///
/// Layout under the bucket's directory:
/// ```
/// bucket.json                      configuration (creation date, region, lifecycle, tags, encryption)
/// objects/<sha256(key)>            one file per object: body + metadata trailer (its `null` version)
/// versions/<sha256(key)>/<id>      a versioned bucket's other versions and delete markers, same format
/// uploads/<upload id>/upload       a multipart upload's metadata
/// uploads/<upload id>/part-<n>     its parts, same file format as objects
/// staging/tmp-*                    files being written; renamed into place when complete
/// ```
/// Object files are named by the SHA-256 of the key, so no key (`..`, `/./`, a leading `/`,
/// 1024 bytes, any byte at all) can reach outside `objects/` or exceed a file-name limit.
///
/// With durable writes, every change to a key (PUT, copy, completed multipart upload, delete,
/// lifecycle expiry) is first recorded in the store's ``ObjectJournal``, then made on disk, and
/// acknowledged once the journal is flushed up to its record: a crash or power loss before the
/// next checkpoint is repaired by replaying the journal at startup. Configuration, uploads and
/// parts are not keys: they are flushed file by file and directory by directory. Nor are versions
/// other than `null`: each is written once, flushed, renamed into place and its directory synced
/// (see `DiskBucket+Versions.swift`).
final class DiskBucket: BucketStore {
    static let subdirectories = ["objects", "uploads", "staging", "versions"]

    let name: String
    let directory: String
    let objectsDirectory: String
    let uploadsDirectory: String
    let stagingDirectory: String
    let versionsDirectory: String
    let durable: Bool
    /// The store's journal; nil when writes are not durable.
    let journal: ObjectJournal?

    struct State: Sendable {
        /// The current version of every key whose current version is an object (not a marker).
        var index = KeyIndex()
        /// Every version of every key, once versioning has been configured; nil before.
        var versions: VersionIndex?
        /// The newest version stamp given out (see ``newVersion(now:)``).
        var lastStamp: Int64 = 0
        var configuration: BucketConfiguration
        var lifecycle: LifecycleConfiguration?
        var cors: CORSConfiguration?
        /// Set once DeleteBucket has begun: late writers must not publish into it.
        var isDeleted = false
    }

    let state: Mutex<State>

    init(
        name: String, directory: String, configuration: BucketConfiguration, index: KeyIndex, durable: Bool,
        journal: ObjectJournal? = nil, versions: VersionIndex? = nil, lastStamp: Int64 = 0
    ) {
        self.name = name
        self.directory = directory
        self.objectsDirectory = directory + "/objects"
        self.uploadsDirectory = directory + "/uploads"
        self.stagingDirectory = directory + "/staging"
        self.versionsDirectory = directory + "/versions"
        self.durable = durable
        self.journal = journal
        let lifecycle = configuration.lifecycleXML.flatMap { try? LifecycleConfiguration(xml: Array($0.utf8)) }
        let cors = configuration.corsXML.flatMap { try? CORSConfiguration(xml: Array($0.utf8)) }
        self.state = Mutex(
            State(
                index: index, versions: versions, lastStamp: lastStamp, configuration: configuration,
                lifecycle: lifecycle, cors: cors))
    }

    var configuration: BucketConfiguration { state.withLock { $0.configuration } }
    var lifecycle: LifecycleConfiguration? { state.withLock { $0.lifecycle } }
    var cors: CORSConfiguration? { state.withLock { $0.cors } }

    func objectPath(_ key: ObjectKey) -> String {
        objectsDirectory + "/" + Self.fileName(for: key)
    }

    static func fileName(for key: ObjectKey) -> String {
        let digest = SHA256.hash(data: Array(key.string.utf8))
        return Hex.encode(digest)
    }

    func summary(of key: ObjectKey) -> ObjectSummary? {
        state.withLock { $0.index[key] }
    }

    func list(prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int) -> ListingPage {
        state.withLock { $0.index.list(prefix: prefix, delimiter: delimiter, startAfter: startAfter, maxKeys: maxKeys) }
    }

    func entries() -> [(key: ObjectKey, summary: ObjectSummary)] {
        state.withLock { state in state.index.keys.map { ($0, state.index[$0]!) } }
    }

    func object(_ key: ObjectKey, prefetch: Int) throws -> StoredObject? {
        // In a versioned bucket the latest version may be any file of the key (a delete marker too).
        // nil: an unversioned bucket; `.some(nil)`: no version.
        let latest = { () -> ObjectSummary?? in
            self.state.withLock { state in
                guard let versions = state.versions else { return nil }
                return .some(versions.latest[key])
            }
        }
        var current = latest()
        while true {
            switch current {
            case nil: return try ObjectFile.open(objectPath(key), prefetch: prefetch)
            case .some(nil): return nil
            case .some(let summary?):
                if let opened = try openVersion(key, id: summary.versionID, prefetch: prefetch) { return opened }
                // Deleted between the lookup and the open: the newest version left is the latest now.
                let now = latest()
                guard now != current else { return nil }
                current = now
            }
        }
    }

    func writer(for target: WriteTarget) throws -> any ObjectWriter {
        DiskObjectWriter(bucket: self, target: target)
    }

    /// Makes a finished staged file the current version of `key`: journal record, rename and index
    /// update together under the lock (so concurrent writers end in the order of their records and
    /// renames), then, outside it, the write is made durable before it is acknowledged: by the
    /// journal's group commit when there is a `change` to record, else by syncing the directory.
    func publish(
        _ staged: StagedFile, as key: ObjectKey, metadata: ObjectMetadata, condition: WriteCondition?,
        change: JournalRecord.Change? = nil
    ) throws {
        let path = objectPath(key)
        let sequence: UInt64?
        do {
            sequence = try state.withLock { state in
                guard !state.isDeleted else { throw S3Error.noSuchBucket(name) }
                if let condition {
                    try condition.check(existing: state.index[key], replaced: state.replaced(key, by: metadata))
                }
                var sequence: UInt64?
                if let journal, let change {
                    let record = JournalRecord(bucket: name, key: key.string, change: change)
                    sequence = try journal.append(record) { try POSIX.rename(staged.path, path) }.sequence
                } else {
                    try POSIX.rename(staged.path, path)
                }
                state.record(key, metadata.summary)
                return sequence
            }
        } catch {
            _ = try? POSIX.remove(staged.path)
            if let failure = error as? POSIXFailure, failure.isNotFound { throw S3Error.noSuchBucket(name) }
            throw error
        }
        if let journal, let sequence {
            try journal.waitUntilDurable(sequence)
        } else if durable {
            try POSIX.syncDirectory(objectsDirectory)
        }
    }

    /// Deletes objects of an unversioned bucket, each key recorded in the journal (when durable)
    /// in the same critical section as its unlink; then one journal flush, or one directory sync,
    /// for all of them.
    func removeAll(_ keys: [(key: ObjectKey, expected: ObjectSummary?)]) throws -> [Bool] {
        var removed: [Bool] = []
        var lastSequence: UInt64?
        for (key, expected) in keys {
            let existed = try state.withLock { state -> Bool in
                guard !state.isDeleted else { return false }
                if let expected, state.index[key] != expected { return false }
                let (existed, sequence) = try removeNullFile(key, &state)
                lastSequence = sequence ?? lastSequence
                return existed
            }
            removed.append(existed)
        }
        try makeRemovalsDurable(upTo: lastSequence, any: removed.contains(true))
        return removed
    }

    /// Unlinks `objects/<key>` (the key's `null` version), recorded in the journal when there is
    /// one; the caller holds the lock and makes the change durable afterwards.
    func removeNullFile(_ key: ObjectKey, _ state: inout State) throws -> (existed: Bool, sequence: UInt64?) {
        let path = objectPath(key)
        var result: (existed: Bool, sequence: UInt64?) = (false, nil)
        let known = state.versions.map { $0.version(key, id: nil) != nil } ?? (state.index[key] != nil)
        if let journal, known {
            let appended = try journal.append(JournalRecord(bucket: name, key: key.string, change: .delete)) {
                try POSIX.remove(path)
            }
            result = (appended.result, appended.sequence)
        } else {
            result.existed = try POSIX.remove(path)
        }
        state.forget(key, id: nil)
        return result
    }

    func makeRemovalsDurable(upTo sequence: UInt64?, any: Bool) throws {
        if let journal, let sequence {
            try journal.waitUntilDurable(sequence)
        } else if any && durable {
            try POSIX.syncDirectory(objectsDirectory)
        }
    }

    func setLifecycle(_ lifecycle: LifecycleConfiguration?) throws {
        try state.withLock { state in
            try update(&state) { $0.lifecycleXML = lifecycle?.xml }
            state.lifecycle = lifecycle
        }
    }

    func setCORS(_ cors: CORSConfiguration?) throws {
        try state.withLock { state in
            try update(&state) { $0.corsXML = cors?.xml }
            state.cors = cors
        }
    }

    func updateConfiguration(_ change: (inout BucketConfiguration) -> Void) throws {
        try state.withLock { state in try update(&state, change) }
    }

    /// Writes the changed configuration, and only once it is on disk makes it current.
    func update(_ state: inout State, _ change: (inout BucketConfiguration) -> Void) throws {
        var configuration = state.configuration
        change(&configuration)
        try Self.writeConfiguration(configuration, directory: directory, staging: stagingDirectory, durable: durable)
        state.configuration = configuration
    }

    /// Marks the bucket deleted if it holds no objects.
    func markDeletedIfEmpty() throws(S3Error) {
        try state.withLock { state throws(S3Error) in
            guard state.index.isEmpty && state.versions?.isEmpty ?? true else { throw S3Error.bucketNotEmpty(name) }
            state.isDeleted = true
        }
    }

    /// Writes `bucket.json` atomically.
    static func writeConfiguration(_ configuration: BucketConfiguration, directory: String, staging: String, durable: Bool)
        throws
    {
        try StagedFile.write(
            try configuration.encoded(), named: BucketConfiguration.fileName, in: directory, staging: staging,
            durable: durable)
    }
}
