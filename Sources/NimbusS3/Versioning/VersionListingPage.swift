/// One page of ListObjectVersions.
struct VersionListingPage: Sendable {
    struct Entry: Sendable {
        var key: ObjectKey
        var version: ObjectSummary
        var isLatest: Bool
    }

    var entries: [Entry] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    /// The last key or common prefix returned, and the last version's ID: where the next page
    /// starts (sent as NextKeyMarker / NextVersionIdMarker when the page is truncated).
    var nextKeyMarker: String?
    var nextVersionIDMarker: String?
}

extension KeyIndex {
    /// The versions of the keys under `prefix`, keys in UTF-8 binary order and each key's versions
    /// newest first (as `versions` gives them), rolled up into common prefixes at `delimiter`, at
    /// most `maxKeys` entries (versions, delete markers and prefixes together). The page starts
    /// after `keyMarker`, or, with a `versionIDMarker` too, after that version of that key.
    func listVersions(
        prefix: String, delimiter: String?, keyMarker: String?, versionIDMarker: String?, maxKeys: Int,
        versions: (ObjectKey) -> [ObjectSummary]
    ) -> VersionListingPage {
        var page = VersionListingPage()
        guard maxKeys > 0 else { return page }
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }

        var index = firstIndex { $0.string.precedesInBinaryOrder(prefix) }
        // The marker key, when the page resumes inside its versions, with how many of them to skip.
        var resumeInside: (key: String, skip: Int)?
        if let keyMarker, !keyMarker.isEmpty {
            let marker = keyMarker
            let resume: Int
            if let versionIDMarker, !versionIDMarker.isEmpty {
                resume = firstIndex { $0.string.precedesInBinaryOrder(marker) }
                let markerKey = ObjectKey(trusted: marker)
                let id = versionIDMarker == VersionID.null ? nil : versionIDMarker
                if let position = versions(markerKey).firstIndex(where: { $0.versionID == id }) {
                    resumeInside = (marker, position + 1)
                } else {
                    resumeInside = (marker, Int.max)
                }
            } else {
                // A marker that is itself a common prefix stands for every key it rolled up.
                let skipPrefix = delimiter.flatMap { commonPrefix(of: marker, prefix: prefix, delimiter: $0) }
                    .flatMap { $0 == marker ? $0 : nil }
                resume = firstIndex { key in
                    !marker.precedesInBinaryOrder(key.string) || (skipPrefix.map { key.hasPrefix($0) } ?? false)
                }
            }
            index = max(index, resume)
        }

        var count = 0
        scan: while index < keys.count {
            let key = keys[index]
            guard key.hasPrefix(prefix) else { break }
            if let delimiter, let rolledUp = commonPrefix(of: key.string, prefix: prefix, delimiter: delimiter) {
                if rolledUp != keyMarker {
                    if count == maxKeys {
                        page.isTruncated = true
                        break
                    }
                    page.commonPrefixes.append(rolledUp)
                    page.nextKeyMarker = rolledUp
                    page.nextVersionIDMarker = nil
                    count += 1
                }
                index = firstIndex { $0.string.precedesInBinaryOrder(rolledUp) || $0.hasPrefix(rolledUp) }
                continue
            }
            let all = versions(key)
            let skip = resumeInside.flatMap { $0.key == key.string ? $0.skip : nil } ?? 0
            for (position, version) in all.enumerated() where position >= skip {
                if count == maxKeys {
                    page.isTruncated = true
                    break scan
                }
                page.entries.append(.init(key: key, version: version, isLatest: position == 0))
                page.nextKeyMarker = key.string
                page.nextVersionIDMarker = version.versionID ?? VersionID.null
                count += 1
            }
            index += 1
        }
        return page
    }
}
