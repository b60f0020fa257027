/// One bucket: its configuration, its objects and its multipart uploads.
///
/// Bytes go in through an ``ObjectWriter`` and become visible all at once, with their metadata,
/// when it finishes; a failed or abandoned write leaves nothing visible.
protocol BucketStore: Sendable {
    var name: String { get }
    var configuration: BucketConfiguration { get }
    var lifecycle: LifecycleConfiguration? { get }
    func setLifecycle(_ lifecycle: LifecycleConfiguration?) throws
    var cors: CORSConfiguration? { get }
    func setCORS(_ cors: CORSConfiguration?) throws
    /// Changes the stored configuration (tags, default encryption), written durably at once.
    func updateConfiguration(_ change: (inout BucketConfiguration) -> Void) throws

    // MARK: Objects

    /// What a listing shows of `key`, or nil when there is no such object.
    func summary(of key: ObjectKey) -> ObjectSummary?

    /// Keys in UTF-8 binary order, as ListObjects pages them.
    func list(prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int) -> ListingPage

    /// Every key with its summary (lifecycle scans).
    func entries() -> [(key: ObjectKey, summary: ObjectSummary)]

    /// Opens the current version of `key`, nil when there is none; in a versioned bucket that may
    /// be a delete marker (`metadata.isDeleteMarker`). A body of at most `prefetch` bytes comes
    /// read already (the common small GET costs one read).
    func object(_ key: ObjectKey, prefetch: Int) throws -> StoredObject?

    /// Starts writing an object or a part; nothing is visible until the writer finishes.
    func writer(for target: WriteTarget) throws -> any ObjectWriter

    /// DELETE without a version ID, for each key only if its current version is still the one
    /// described by `expected` (when given): removes the object, or in a versioned bucket adds a
    /// delete marker. Nil for a key where nothing happened.
    func delete(_ keys: [(key: ObjectKey, expected: ObjectSummary?)], now: Int64) throws -> [VersionDeletion?]

    // MARK: Versions

    /// PutBucketVersioning's status; nil while it was never set.
    var versioning: VersioningStatus? { get }
    func setVersioning(_ status: VersioningStatus) throws

    /// The version ID (nil: `null`) and ordering stamp of an object written now.
    func newVersion(now: Int64) -> (id: String?, stamp: Int64)

    /// Opens one version of `key` (nil: the `null` version), a delete marker too; nil when there
    /// is no such version.
    func object(_ key: ObjectKey, versionID: String?, prefetch: Int) throws -> StoredObject?

    /// The key's latest version, a delete marker too; nil in an unversioned bucket.
    func latestVersion(of key: ObjectKey) -> ObjectSummary?

    /// What a listing shows of one version of `key` (nil: `null`); nil when there is none.
    func summary(of key: ObjectKey, versionID: String?) -> ObjectSummary?

    /// Every key of a versioned bucket with its versions, newest first (lifecycle scans); empty
    /// in an unversioned bucket.
    func versionHistory() -> [(key: ObjectKey, versions: [ObjectSummary])]

    /// ListObjectVersions: in an unversioned bucket, every object is its own `null` version.
    func listVersions(prefix: String, delimiter: String?, keyMarker: String?, versionIDMarker: String?, maxKeys: Int)
        -> VersionListingPage

    /// DELETE with a version ID (nil: `null`): the version is gone for good. Nil when there was none.
    func deleteVersion(_ key: ObjectKey, id: String?) throws -> VersionDeletion?

    // MARK: Multipart uploads

    func createUpload(_ upload: MultipartUpload) throws

    /// The upload `id`, or NoSuchUpload.
    func upload(_ id: String) throws -> MultipartUpload

    /// Every upload in progress, sorted by key, then initiation time.
    func uploads() throws -> [MultipartUpload]

    /// The uploaded parts by number, with their metadata (size, ETag, checksums).
    func parts(uploadID: String) throws -> [Int: ObjectMetadata]

    /// Opens part `number` of upload `uploadID`, nil when it was never uploaded.
    func part(uploadID: String, number: Int) throws -> StoredObject?

    /// Deletes an upload and its parts (abort, complete, lifecycle); NoSuchUpload when it is gone.
    func removeUpload(_ id: String) throws
}
