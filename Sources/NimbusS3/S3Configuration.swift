/// Settings of the S3 service. Every field has a working default.
public struct S3Configuration: Sendable {
    /// Host names under which virtual-hosted–style requests arrive: a request for
    /// `photos.localhost:4566` addresses bucket `photos` when `localhost` is listed. Requests to any
    /// other host (an IP address, a bare suffix) are path-style. Default: `["localhost"]`.
    public var virtualHostSuffixes: [String]
    /// Region reported for buckets created without a `LocationConstraint`. Default: `us-east-1`.
    public var region: String
    /// Make every acknowledged write survive power loss as well as `kill -9`: object changes are
    /// recorded in a write-ahead journal flushed with `fdatasync` before the answer (see
    /// `ObjectJournal`); multipart parts and bucket configuration are fsync'd, file and directory.
    /// Without it writes still survive a process crash (the page cache outlives the process).
    /// Default: `true`.
    public var durableWrites: Bool
    /// Smallest size CompleteMultipartUpload accepts for every part but the last (AWS: 5 MiB).
    public var minimumPartSize: Int64
    /// Largest single PUT, UploadPart or copy (AWS: 5 GiB).
    public var maximumObjectSize: Int64
    /// Owner shown in listings and ACLs.
    public var ownerID: String
    public var ownerDisplayName: String

    public init(
        virtualHostSuffixes: [String] = ["localhost"],
        region: String = "us-east-1",
        durableWrites: Bool = true,
        minimumPartSize: Int64 = 5 * 1024 * 1024,
        maximumObjectSize: Int64 = 5 * 1024 * 1024 * 1024,
        ownerID: String = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
        ownerDisplayName: String = "nimbus"
    ) {
        self.virtualHostSuffixes = virtualHostSuffixes
        self.region = region
        self.durableWrites = durableWrites
        self.minimumPartSize = minimumPartSize
        self.maximumObjectSize = maximumObjectSize
        self.ownerID = ownerID
        self.ownerDisplayName = ownerDisplayName
    }
}
