import NIOCore

/// An object (or part) opened for reading.
struct StoredObject: Sendable {
    let metadata: ObjectMetadata
    let reader: any ObjectReader
    /// The whole body, when it was small enough to come with the metadata.
    let body: ByteBuffer?
}
