/// What a write chose for an object besides its content headers and user metadata: its tags,
/// storage class and encryption. Stored with the object, and with a multipart upload until it
/// completes.
struct ObjectSettings: Sendable, Equatable {
    var tags: TagSet
    var storageClass: StorageClass
    var encryption: ServerSideEncryption

    /// An object written without any of these headers into a bucket without default encryption
    /// (and every object stored before Nimbus recorded them).
    init(tags: TagSet = .empty, storageClass: StorageClass = .standard, encryption: ServerSideEncryption = .s3Managed) {
        self.tags = tags
        self.storageClass = storageClass
        self.encryption = encryption
    }
}
