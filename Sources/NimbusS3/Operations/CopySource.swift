/// `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, the key URL-encoded.
struct CopySource: Equatable {
    var bucket: String
    var key: String
    /// The version named by `?versionId=`: nil without one, `.some(nil)` for `null`.
    var versionID: String??

    init(header: String) throws(S3Error) {
        var raw = Substring(header.trimmingXMLWhitespace())
        versionID = nil
        if let question = raw.firstIndex(of: "?") {
            let query = raw[raw.index(after: question)...]
            if let version = query.split(separator: "&").first(where: { $0.hasPrefix("versionId=") }) {
                let text = PercentEncoding.decodeString(version.dropFirst("versionId=".count)) ?? ""
                versionID = .some(try VersionID.parse(text))
            }
            raw = raw[..<question]
        }
        guard let decoded = PercentEncoding.decodeString(raw) else { throw S3Error.invalidURI }
        var path = Substring(decoded)
        if path.hasPrefix("/") { path = path.dropFirst() }
        guard let slash = path.firstIndex(of: "/"), slash != path.startIndex,
            path.index(after: slash) != path.endIndex
        else {
            throw S3Error.invalidArgument(
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                name: "x-amz-copy-source", value: header)
        }
        bucket = String(path[..<slash])
        key = String(path[path.index(after: slash)...])
    }
}
