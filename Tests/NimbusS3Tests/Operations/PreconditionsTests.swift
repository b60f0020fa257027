import Testing

@testable import NimbusS3

@Suite struct PreconditionsTests {
    static let etag = "5d41402abc4b2a76b9719d911017c592"
    /// Last modified: Wed, 21 Oct 2015 07:28:00 GMT.
    static let lastModified = HTTPDate.seconds(year: 2015, month: 10, day: 21, hour: 7, minute: 28)
    static let before = "Tue, 20 Oct 2015 07:28:00 GMT"
    static let same = "Wed, 21 Oct 2015 07:28:00 GMT"
    static let after = "Thu, 22 Oct 2015 07:28:00 GMT"

    typealias Case = (ifMatch: String?, ifNoneMatch: String?, ifModifiedSince: String?, ifUnmodifiedSince: String?)

    @Test(arguments: [
        ((nil, nil, nil, nil), Preconditions.Outcome.proceed),
        (("\"\(etag)\"", nil, nil, nil), .proceed),
        ((etag, nil, nil, nil), .proceed),
        (("\"x\", \"\(etag)\"", nil, nil, nil), .proceed),
        (("*", nil, nil, nil), .proceed),
        (("\"x\"", nil, nil, nil), .failed("If-Match")),
        ((nil, "\"\(etag)\"", nil, nil), .notModified),
        ((nil, "*", nil, nil), .notModified),
        ((nil, "W/\"\(etag)\"", nil, nil), .notModified),
        ((nil, "\"x\"", nil, nil), .proceed),
        ((nil, nil, after, nil), .notModified),
        ((nil, nil, same, nil), .notModified),
        ((nil, nil, before, nil), .proceed),
        ((nil, nil, nil, before), .failed("If-Unmodified-Since")),
        ((nil, nil, nil, same), .proceed),
        ((nil, nil, "not a date", nil), .proceed),
        // If-Match decides over If-Unmodified-Since; If-None-Match over If-Modified-Since.
        (("\"\(etag)\"", nil, nil, before), .proceed),
        ((nil, "\"x\"", after, nil), .proceed),
        ((nil, "\"\(etag)\"", before, nil), .notModified),
        (("\"x\"", "\"\(etag)\"", nil, nil), .failed("If-Match")),
    ] as [(Case, Preconditions.Outcome)])
    func evaluates(_ headers: Case, _ expected: Preconditions.Outcome) {
        let conditions = Preconditions.Conditions(
            ifMatch: headers.ifMatch, ifNoneMatch: headers.ifNoneMatch, ifModifiedSince: headers.ifModifiedSince,
            ifUnmodifiedSince: headers.ifUnmodifiedSince)
        #expect(Preconditions.evaluate(conditions, etag: Self.etag, lastModified: Self.lastModified) == expected)
    }
}
