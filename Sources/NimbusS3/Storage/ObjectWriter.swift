/// An object or part being written. Nothing of it is visible until ``finish(_:)`` succeeds.
///
/// Calls come one at a time, but not always from the same thread (uploads write on the blocking
/// pool), and may block on the disk.
protocol ObjectWriter: Sendable {
    func append(_ bytes: UnsafeRawBufferPointer) throws

    /// Stores `metadata` with the bytes, makes both durable (when the store is) and publishes them
    /// at once to the writer's ``WriteTarget``. On failure nothing is published.
    func finish(_ metadata: ObjectMetadata) throws

    /// Abandons the write.
    func discard()
}
