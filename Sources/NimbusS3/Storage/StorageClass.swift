/// An object's storage class, as S3 names them. Nimbus stores and reports it; every class reads
/// the same (no archive tiers, no restore).
enum StorageClass: String, Sendable, Equatable, Codable, CaseIterable {
    case standard = "STANDARD"
    case reducedRedundancy = "REDUCED_REDUNDANCY"
    case standardIA = "STANDARD_IA"
    case oneZoneIA = "ONEZONE_IA"
    case intelligentTiering = "INTELLIGENT_TIERING"
    case glacier = "GLACIER"
    case deepArchive = "DEEP_ARCHIVE"
    case outposts = "OUTPOSTS"
    case glacierIR = "GLACIER_IR"
    case snow = "SNOW"
    case expressOneZone = "EXPRESS_ONEZONE"

    static let headerName = "x-amz-storage-class"

    /// `x-amz-storage-class` of a write: STANDARD when absent, InvalidStorageClass when not a class.
    init(header: String?) throws(S3Error) {
        guard let header else {
            self = .standard
            return
        }
        guard let parsed = StorageClass(rawValue: header) else {
            throw S3Error(
                "InvalidStorageClass", "The storage class you specified is not valid",
                details: [("StorageClassRequested", header)])
        }
        self = parsed
    }
}
