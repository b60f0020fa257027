/// A conditional write's requirement on the current object (`If-None-Match: *`, `If-Match`, or
/// for a lifecycle expiry: still exactly the version that was read), or, for a rewrite of an
/// object's metadata, on the version it replaces.
struct WriteCondition: Sendable {
    var ifNoneMatch: String?
    var ifMatch: String?
    /// The key's current version must still be this one (same revision).
    var unchanged: ObjectSummary?
    /// The version the write replaces (same version ID) must still be this one (same revision).
    var sameVersion: ObjectSummary?

    static let conflict = S3Error(
        "OperationAborted", "A conflicting conditional operation is currently in progress against this resource. Please try again.")

    /// `existing` is the key's current version, `replaced` the one with the written version's ID.
    func check(existing: ObjectSummary?, replaced: ObjectSummary?) throws(S3Error) {
        if let ifNoneMatch, existing != nil, ifNoneMatch.trimmingXMLWhitespace() == "*" {
            throw S3Error.preconditionFailed("If-None-Match")
        }
        if let ifMatch {
            guard let existing else { throw S3Error.noSuchKey("") }
            guard Preconditions.etagList(ifMatch, contains: existing.etag) else {
                throw S3Error.preconditionFailed("If-Match")
            }
        }
        if let unchanged, existing != unchanged {
            throw Self.conflict
        }
        if let sameVersion, replaced != sameVersion {
            throw Self.conflict
        }
    }
}
