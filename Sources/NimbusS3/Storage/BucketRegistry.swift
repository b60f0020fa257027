import Logging
import Synchronization

/// All buckets under `<data directory>/buckets`, loaded at startup.
///
/// Startup also finishes what a crash interrupted: staging files (uploads that never completed)
/// and half-created buckets are deleted, so nothing partial ever becomes visible.
final class BucketRegistry: Sendable {
    let root: String
    let durable: Bool
    private let buckets: Mutex<[String: Bucket]>

    init(directory: String, durable: Bool, logger: Logger) throws {
        self.root = directory + "/buckets"
        self.durable = durable
        try POSIX.makeDirectories(root)
        var loaded: [String: Bucket] = [:]
        for name in try POSIX.directoryEntries(root) ?? [] {
            let path = root + "/" + name
            guard BucketName.isValid(name) else {
                // Leftovers of an interrupted CreateBucket / DeleteBucket (dot-prefixed names).
                if name.hasPrefix(".") { try? POSIX.removeTree(path) }
                continue
            }
            do {
                loaded[name] = try Self.load(name: name, directory: path, durable: durable, logger: logger)
            } catch {
                logger.error("s3 bucket could not be loaded", metadata: ["s3.bucket": .string(name), "error": "\(error)"])
            }
        }
        self.buckets = Mutex(loaded)
    }

    private static func load(name: String, directory: String, durable: Bool, logger: Logger) throws -> Bucket {
        let configurationPath = directory + "/" + BucketConfiguration.fileName
        guard let descriptor = try POSIX.openForReading(configurationPath) else {
            throw POSIXFailure(operation: "open", path: configurationPath, errno: 2)
        }
        let file = OpenFile(descriptor: descriptor, path: configurationPath)
        var bytes = [UInt8](repeating: 0, count: Int(try POSIX.fileSize(descriptor, path: configurationPath)))
        _ = try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
        let configuration = try BucketConfiguration.decode(bytes)

        for subdirectory in ["objects", "uploads", "staging"] {
            try POSIX.makeDirectory(directory + "/" + subdirectory)
        }
        for leftover in try POSIX.directoryEntries(directory + "/staging") ?? [] {
            try POSIX.removeTree(directory + "/staging/" + leftover)
            _ = try? POSIX.remove(directory + "/staging/" + leftover)
        }
        var index = KeyIndex()
        for fileName in try POSIX.directoryEntries(directory + "/objects") ?? [] {
            let path = directory + "/objects/" + fileName
            do {
                guard let opened = try ObjectFile.open(path, readAllUpTo: 0) else { continue }
                let key = ObjectKey(trusted: opened.metadata.key)
                guard Bucket.fileName(for: key) == fileName else { throw ObjectFile.Corrupt(path: path) }
                index.upsert(key, opened.metadata.summary)
            } catch {
                logger.error("s3 object skipped", metadata: ["s3.bucket": .string(name), "error": "\(error)"])
            }
        }
        return Bucket(name: name, directory: directory, configuration: configuration, index: index, durable: durable)
    }

    /// The bucket named `name`, or S3's error for a bad or unknown name.
    func bucket(_ name: String) throws(S3Error) -> Bucket {
        if let bucket = buckets.withLock({ $0[name] }) { return bucket }
        guard BucketName.isValid(name) else { throw S3Error.invalidBucketName(name) }
        throw S3Error.noSuchBucket(name)
    }

    var all: [Bucket] {
        buckets.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// Creates a bucket: built under a dot-prefixed temporary name, then renamed into place.
    func create(_ name: String, region: String, now: Int64) throws -> Bucket {
        guard BucketName.isValid(name) else { throw S3Error.invalidBucketName(name) }
        return try buckets.withLock { buckets in
            if buckets[name] != nil { throw S3Error.bucketAlreadyOwnedByYou(name) }
            let temporary = root + "/." + name + "-" + MultipartUpload.newID()
            let directory = root + "/" + name
            do {
                try POSIX.makeDirectory(temporary)
                for subdirectory in ["objects", "uploads", "staging"] {
                    try POSIX.makeDirectory(temporary + "/" + subdirectory)
                }
                let configuration = BucketConfiguration(creationDate: now, region: region, lifecycleXML: nil)
                try Bucket.writeConfiguration(
                    configuration, directory: temporary, staging: temporary + "/staging", durable: durable)
                try POSIX.rename(temporary, directory)
                if durable { try POSIX.syncDirectory(root) }
                let bucket = Bucket(
                    name: name, directory: directory, configuration: configuration, index: KeyIndex(), durable: durable)
                buckets[name] = bucket
                return bucket
            } catch {
                try? POSIX.removeTree(temporary)
                throw error
            }
        }
    }

    /// The bucket `name`, created first if it does not exist (template provisioning).
    func bucketCreatingIfMissing(_ name: String, region: String, now: Int64) throws -> Bucket {
        if let bucket = buckets.withLock({ $0[name] }) { return bucket }
        do {
            return try create(name, region: region, now: now)
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
            return try bucket(name)
        }
    }

    /// Deletes an empty bucket (BucketNotEmpty otherwise); in-progress uploads go with it.
    func delete(_ name: String) throws {
        let bucket = try bucket(name)
        let doomed = root + "/.deleted-" + name + "-" + MultipartUpload.newID()
        try buckets.withLock { buckets in
            try bucket.markDeletedIfEmpty()
            try POSIX.rename(bucket.directory, doomed)
            buckets[name] = nil
        }
        if durable { try POSIX.syncDirectory(root) }
        try POSIX.removeTree(doomed)
    }
}
