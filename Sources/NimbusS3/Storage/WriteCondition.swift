/// A conditional write's requirement on the current object (`If-None-Match: *`, `If-Match`).
struct WriteCondition: Sendable {
    var ifNoneMatch: String?
    var ifMatch: String?

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
    }
}
