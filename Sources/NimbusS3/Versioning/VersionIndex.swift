/// Every version of every key of a versioned bucket, delete markers included: what
/// ListObjectVersions pages through, and what decides which version is current.
///
/// A key's versions are kept newest first by their stamps, so a rewrite of a version (new tags)
/// keeps its place and a new write goes first. Revisions number every stored version, as
/// ``KeyIndex`` numbers the current ones of an unversioned bucket.
struct VersionIndex: Sendable {
    /// Every key with at least one version, each with its latest (which may be a delete marker).
    private(set) var latest = KeyIndex()
    private var versions: [ObjectKey: [ObjectSummary]] = [:]
    private var lastRevision: UInt64 = 0

    init() {}

    /// The versions of a bucket that was not versioned until now: each object is its `null` version.
    init(unversioned current: KeyIndex) {
        for key in current.keys { put(key, current[key]!) }
    }

    var isEmpty: Bool { latest.isEmpty }

    /// The key's versions, newest first.
    subscript(key: ObjectKey) -> [ObjectSummary] { versions[key] ?? [] }

    func version(_ key: ObjectKey, id: String?) -> ObjectSummary? {
        versions[key]?.first { $0.versionID == id }
    }

    /// Stores `summary` (under a new revision) in place of the version with the same ID, if any;
    /// returns it as stored.
    @discardableResult
    mutating func put(_ key: ObjectKey, _ summary: ObjectSummary) -> ObjectSummary {
        var summary = summary
        lastRevision += 1
        summary.revision = lastRevision
        var list = versions[key] ?? []
        list.removeAll { $0.versionID == summary.versionID }
        list.insert(summary, at: list.firstIndex { $0.versionStamp < summary.versionStamp } ?? list.count)
        store(key, list)
        return summary
    }

    /// Forgets a version; returns it, nil when there was none.
    @discardableResult
    mutating func remove(_ key: ObjectKey, id: String?) -> ObjectSummary? {
        guard var list = versions[key], let index = list.firstIndex(where: { $0.versionID == id }) else { return nil }
        let removed = list.remove(at: index)
        store(key, list)
        return removed
    }

    private mutating func store(_ key: ObjectKey, _ list: [ObjectSummary]) {
        if let first = list.first {
            versions[key] = list
            latest.set(key, first)
        } else {
            versions[key] = nil
            latest.remove(key)
        }
    }

    func listVersions(prefix: String, delimiter: String?, keyMarker: String?, versionIDMarker: String?, maxKeys: Int)
        -> VersionListingPage
    {
        latest.listVersions(
            prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, versionIDMarker: versionIDMarker,
            maxKeys: maxKeys
        ) { versions[$0] ?? [] }
    }
}
