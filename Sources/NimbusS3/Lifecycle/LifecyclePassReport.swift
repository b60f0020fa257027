/// What one lifecycle pass did.
struct LifecyclePassReport: Sendable, Equatable {
    var expiredObjects = 0
    var abortedUploads = 0
}
