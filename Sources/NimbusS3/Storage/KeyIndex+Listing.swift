extension KeyIndex {
    /// Keys under `prefix`, after `startAfter`, rolled up into common prefixes at `delimiter`,
    /// at most `maxKeys` entries (keys and prefixes together), as S3 lists them.
    func list(prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int) -> ListingPage {
        var page = ListingPage(objects: [], commonPrefixes: [], isTruncated: false, last: nil)
        guard maxKeys > 0 else { return page }
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }

        var index = firstIndex { $0.string.precedesInBinaryOrder(prefix) }
        if let startAfter, !startAfter.isEmpty {
            // A marker that is itself a common prefix stands for every key it rolled up.
            let skipPrefix = delimiter.flatMap { commonPrefix(of: startAfter, prefix: prefix, delimiter: $0) }
                .flatMap { $0 == startAfter ? $0 : nil }
            let resume = firstIndex { key in
                !startAfter.precedesInBinaryOrder(key.string) || (skipPrefix.map { key.hasPrefix($0) } ?? false)
            }
            index = max(index, resume)
        }

        var count = 0
        while index < keys.count {
            let key = keys[index]
            guard key.hasPrefix(prefix) else { break }
            if let delimiter, let rolledUp = commonPrefix(of: key.string, prefix: prefix, delimiter: delimiter) {
                if count == maxKeys {
                    page.isTruncated = true
                    break
                }
                page.commonPrefixes.append(rolledUp)
                page.last = rolledUp
                count += 1
                // Jump past every key under this common prefix.
                index = firstIndex { $0.string.precedesInBinaryOrder(rolledUp) || $0.hasPrefix(rolledUp) }
                continue
            }
            if count == maxKeys {
                page.isTruncated = true
                break
            }
            page.objects.append((key, summaries[key]!))
            page.last = key.string
            count += 1
            index += 1
        }
        return page
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
