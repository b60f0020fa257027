/// What a bucket remembers besides its objects.
///
/// Fields added after the first release are optional, so that `bucket.json` files written
/// before them still load.
struct BucketConfiguration: Codable, Sendable, Equatable {
    /// Unix seconds.
    var creationDate: Int64
    /// `LocationConstraint` given at creation; `us-east-1` when none was.
    var region: String
    /// The lifecycle document as written, if any.
    var lifecycleXML: String?
    /// The CORS document as written, if any.
    var corsXML: String?
    /// PutBucketTagging's tags; nil when the bucket has none (GetBucketTagging: NoSuchTagSet).
    var tags: TagSet?
    /// PutBucketEncryption's default; nil means SSE-S3.
    var encryption: BucketEncryption?
    /// PutBucketVersioning's status; nil while it was never set.
    var versioning: VersioningStatus?

    /// The encryption of a new object whose write names none.
    var defaultEncryption: ServerSideEncryption { (encryption ?? .s3Managed).encryption }
}
