/// `x-amz-tagging` on PutObject, CreateMultipartUpload and CopyObject: the tags as a URL query
/// (`a=1&b=2`, percent-encoded UTF-8, `+` read as a space as in form encoding).
extension TagSet {
    static let headerName = "x-amz-tagging"

    /// No header, or an empty one, is no tags. A piece without `=` is a key with an empty value.
    init(header: String?) throws(S3Error) {
        guard let header, !header.isEmpty else {
            self = .empty
            return
        }
        let malformed = S3Error.invalidArgument(
            "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
            name: Self.headerName, value: header)
        var pairs: [(key: String, value: String)] = []
        var seen = Set<String>()
        for piece in header.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = PercentEncoding.decodeString(parts[0], plusAsSpace: true),
                let value = parts.count > 1 ? PercentEncoding.decodeString(parts[1], plusAsSpace: true) : "",
                !key.isEmpty, seen.insert(key).inserted
            else { throw malformed }
            pairs.append((key, value))
        }
        try self.init(validating: pairs, for: .object)
    }
}
