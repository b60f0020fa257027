/// One page of a listing (ListObjects V1 and V2 share this).
struct ListingPage: Sendable, Equatable {
    var objects: [(key: ObjectKey, summary: ObjectSummary)]
    var commonPrefixes: [String]
    var isTruncated: Bool
    /// The last key or common prefix returned: where the next page starts after.
    var last: String?

    static func == (lhs: ListingPage, rhs: ListingPage) -> Bool {
        lhs.objects.map(\.key) == rhs.objects.map(\.key) && lhs.objects.map(\.summary) == rhs.objects.map(\.summary)
            && lhs.commonPrefixes == rhs.commonPrefixes && lhs.isTruncated == rhs.isTruncated && lhs.last == rhs.last
    }
}
