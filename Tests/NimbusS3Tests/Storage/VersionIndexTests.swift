import Testing

@testable import NimbusS3

@Suite struct VersionIndexTests {
    static func version(_ id: String?, stamp: Int64, marker: Bool = false) -> ObjectSummary {
        ObjectSummary(size: 1, lastModified: 0, etag: "e", versionID: id, versionStamp: stamp, isDeleteMarker: marker)
    }

    /// (key, version ID) of a page's entries.
    static func ids(_ page: VersionListingPage) -> [String] {
        page.entries.map { "\($0.key.string)@\($0.version.versionID ?? "null")" }
    }

    @Test func versionsAreNewestFirstAndRewritesKeepTheirPlace() {
        var index = VersionIndex()
        let key = ObjectKey(trusted: "k")
        index.put(key, Self.version(nil, stamp: 1))
        index.put(key, Self.version("b", stamp: 3))
        index.put(key, Self.version("a", stamp: 2))
        #expect(index[key].map(\.versionID) == ["b", "a", nil])
        // A rewrite (same ID and stamp) stays where it was; a new null version goes first.
        index.put(key, Self.version("a", stamp: 2))
        index.put(key, Self.version(nil, stamp: 4))
        #expect(index[key].map(\.versionID) == [nil, "b", "a"])
        #expect(index.latest[key]?.versionStamp == 4)
        #expect(index.remove(key, id: nil)?.versionStamp == 4)
        #expect(index.latest[key]?.versionID == "b")
        index.remove(key, id: "b")
        index.remove(key, id: "a")
        #expect(index.isEmpty && index.latest[key] == nil)
    }

    @Test func pagesResumeInsideAKeysVersions() {
        var index = VersionIndex()
        for (key, stamp) in [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)] {
            index.put(ObjectKey(trusted: key), Self.version("\(key)\(stamp)", stamp: Int64(stamp)))
        }
        let all = ["a@a3", "a@a1", "b@b5", "b@b2", "c@c4"]
        var seen: [String] = []
        var marker: (key: String?, version: String?) = (nil, nil)
        for _ in 0..<5 {
            let page = index.listVersions(
                prefix: "", delimiter: nil, keyMarker: marker.key, versionIDMarker: marker.version, maxKeys: 2)
            seen += Self.ids(page)
            guard page.isTruncated else { break }
            marker = (page.nextKeyMarker, page.nextVersionIDMarker)
        }
        #expect(seen == all)
        // A key marker alone skips every version of that key.
        #expect(Self.ids(index.listVersions(prefix: "", delimiter: nil, keyMarker: "a", versionIDMarker: nil, maxKeys: 9)) == Array(all[2...]))
        // A version marker the key does not have skips the key.
        #expect(Self.ids(index.listVersions(prefix: "", delimiter: nil, keyMarker: "b", versionIDMarker: "gone", maxKeys: 9)) == ["c@c4"])
    }

    @Test func commonPrefixesCountTowardsTheLimit() {
        var index = VersionIndex()
        for (stamp, key) in ["dir/x", "dir/y", "top", "dir/x"].enumerated() {
            index.put(ObjectKey(trusted: key), Self.version("v\(stamp)", stamp: Int64(stamp)))
        }
        let first = index.listVersions(prefix: "", delimiter: "/", keyMarker: nil, versionIDMarker: nil, maxKeys: 1)
        #expect(first.commonPrefixes == ["dir/"] && first.entries.isEmpty && first.isTruncated)
        #expect(first.nextKeyMarker == "dir/" && first.nextVersionIDMarker == nil)
        let rest = index.listVersions(prefix: "", delimiter: "/", keyMarker: "dir/", versionIDMarker: nil, maxKeys: 5)
        #expect(Self.ids(rest) == ["top@v2"] && rest.commonPrefixes.isEmpty && !rest.isTruncated)
    }
}
