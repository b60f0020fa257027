/// Where S3 keeps its buckets. The S3 operations see storage only through this protocol and
/// ``BucketStore``; `DiskObjectStore` is the implementation, files under the data directory.
///
/// Calls may block on the disk (a durable write waits for the journal's `fdatasync`, or an
/// `fsync`): the operations run writes through `storageWork`, off Swift's cooperative pool.
protocol ObjectStore: Sendable {
    /// The bucket `name`: InvalidBucketName or NoSuchBucket when there is none.
    func bucket(_ name: String) throws(S3Error) -> any BucketStore

    /// Every bucket, sorted by name.
    var buckets: [any BucketStore] { get }

    /// Creates an empty bucket: BucketAlreadyOwnedByYou when it exists.
    func createBucket(_ name: String, region: String, now: Int64) throws -> any BucketStore

    /// Deletes an empty bucket (BucketNotEmpty otherwise) and its in-progress uploads.
    func deleteBucket(_ name: String) throws
}

extension ObjectStore {
    /// The bucket `name`, created first if it does not exist (template provisioning).
    func bucketCreatingIfMissing(_ name: String, region: String, now: Int64) throws -> any BucketStore {
        if let existing = try? bucket(name) { return existing }
        do {
            return try createBucket(name, region: region, now: now)
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
            return try bucket(name)
        }
    }
}
