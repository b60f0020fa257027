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

    /// Opens the current version of `key`, nil when there is none. A body of at most `prefetch`
    /// bytes comes read already (the common small GET costs one read).
    func object(_ key: ObjectKey, prefetch: Int) throws -> StoredObject?

    /// Starts writing an object or a part; nothing is visible until the writer finishes.
    func writer(for target: WriteTarget) throws -> any ObjectWriter

    /// Deletes keys, each only if it is still the version described by its `expected` summary
    /// (when given); returns how many were deleted.
    func removeAll(_ keys: [(key: ObjectKey, expected: ObjectSummary?)]) throws -> Int

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

extension BucketStore {
    /// Deletes `key`, only if it is still the version described by `expected` when given
    /// (lifecycle expiry must not delete an object overwritten since it looked).
    @discardableResult
    func remove(_ key: ObjectKey, ifStill expected: ObjectSummary? = nil) throws -> Bool {
        try removeAll([(key, expected)]) > 0
    }
}
