/// What a bucket remembers besides its objects.
struct BucketConfiguration: Codable, Sendable, Equatable {
    /// Unix seconds.
    var creationDate: Int64
    /// `LocationConstraint` given at creation; `us-east-1` when none was.
    var region: String
    /// The lifecycle document as written, if any.
    var lifecycleXML: String?
    /// The CORS document as written, if any.
    var corsXML: String?
}
