/// The keys of one bucket in UTF-8 binary order, with each object's listing summary.
///
/// Object files are named by key hash (safe, but unordered), so listings come from this index,
/// rebuilt from the files' trailers at startup and kept current by every write.
struct KeyIndex: Sendable {
    private(set) var keys: [ObjectKey] = []
    private(set) var summaries: [ObjectKey: ObjectSummary] = [:]
    private var lastRevision: UInt64 = 0

    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }

    subscript(key: ObjectKey) -> ObjectSummary? { summaries[key] }

    /// Makes `summary` the key's current version, under a new revision number.
    mutating func upsert(_ key: ObjectKey, _ summary: ObjectSummary) {
        var summary = summary
        summary.revision = lastRevision + 1
        set(key, summary)
    }

    /// Makes `summary` the key's current version with the revision it has (a ``VersionIndex``
    /// numbers the versions of versioned buckets itself).
    mutating func set(_ key: ObjectKey, _ summary: ObjectSummary) {
        lastRevision = max(lastRevision, summary.revision)
        if summaries.updateValue(summary, forKey: key) == nil {
            keys.insert(key, at: firstIndex { $0 < key })
        }
    }

    mutating func remove(_ key: ObjectKey) {
        guard summaries.removeValue(forKey: key) != nil else { return }
        let index = firstIndex { $0 < key }
        if index < keys.count, keys[index] == key { keys.remove(at: index) }
    }

    /// The first position whose key does not satisfy `isBefore` (keys satisfying it must form a
    /// prefix of the array).
    func firstIndex(where isBefore: (ObjectKey) -> Bool) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(keys[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
