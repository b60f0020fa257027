/// What one lifecycle pass did.
struct LifecyclePassReport: Sendable, Equatable {
    /// Current objects deleted (a delete marker added, in a versioned bucket).
    var expiredObjects = 0
    /// Noncurrent versions and expired delete markers deleted for good.
    var expiredVersions = 0
    var abortedUploads = 0
}
