extension KeyIndex {
    /// Keys under `prefix`, after `startAfter`, rolled up into common prefixes at `delimiter`,
    /// at most `maxKeys` entries (keys and prefixes together), as S3 lists them.
    func list(prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int) -> ListingPage {
        // Each key is its own only version: the same walk as ListObjectVersions.
        let page = listVersions(
            prefix: prefix, delimiter: delimiter, keyMarker: startAfter, versionIDMarker: nil, maxKeys: maxKeys
        ) { [summaries[$0]!] }
        return ListingPage(
            objects: page.entries.map { ($0.key, $0.version) }, commonPrefixes: page.commonPrefixes,
            isTruncated: page.isTruncated, last: page.nextKeyMarker)
    }

    /// `prefix` + the rest of `key` up to and including the first `delimiter` after `prefix`.
    func commonPrefix(of key: String, prefix: String, delimiter: String) -> String? {
        guard key.utf8.starts(with: prefix.utf8) else { return nil }
        let rest = key.utf8.dropFirst(prefix.utf8.count)
        let delimiterBytes = Array(delimiter.utf8)
        var position = rest.startIndex
        while position != rest.endIndex {
            if rest[position...].starts(with: delimiterBytes) {
                let end = key.utf8.index(position, offsetBy: delimiterBytes.count)
                return String(key.utf8[..<end])!
            }
            position = rest.index(after: position)
        }
        return nil
    }
}
