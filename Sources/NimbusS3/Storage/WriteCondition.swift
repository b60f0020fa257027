/// A conditional write's requirement on the current object (`If-None-Match: *`, `If-Match`, or
/// for a rewrite of an object's metadata: still exactly the version that was read).
struct WriteCondition: Sendable {
    var ifNoneMatch: String?
    var ifMatch: String?
    /// The key must still hold this version (same revision).
    var unchanged: ObjectSummary?

    static let conflict = S3Error(
        "OperationAborted", "A conflicting conditional operation is currently in progress against this resource. Please try again.")

    func check(existing: ObjectSummary?) throws(S3Error) {
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
    }
}
