import Testing

@testable import NimbusS3

@Suite struct KeyIndexListingTests {
    static func index(_ keys: [String]) -> KeyIndex {
        var index = KeyIndex()
        for (offset, key) in keys.enumerated() {
            index.upsert(ObjectKey(trusted: key), ObjectSummary(size: Int64(offset), lastModified: 0, etag: "e"))
        }
        return index
    }

    static let keys = ["photos/2024/a", "photos/2024/b", "photos/2025/c", "photos/readme", "docs/x", "top", "a/1"]

    func keys(_ page: ListingPage) -> [String] { page.objects.map(\.key.string) }

    @Test func keysAreKeptInUTF8BinaryOrder() {
        let index = Self.index(["b", "é", "B", "a", "e\u{301}", "~", "a"])
        #expect(index.keys.map(\.string) == ["B", "a", "b", "e\u{301}", "~", "é"])
        #expect(index.count == 6)
    }

    @Test func removeKeepsIndexConsistent() {
        var index = Self.index(["a", "b", "c"])
        index.remove(ObjectKey(trusted: "b"))
        index.remove(ObjectKey(trusted: "missing"))
        #expect(index.keys.map(\.string) == ["a", "c"])
        #expect(index[ObjectKey(trusted: "b")] == nil)
    }

    @Test func prefixAndDelimiter() {
        let page = Self.index(Self.keys).list(prefix: "photos/", delimiter: "/", startAfter: nil, maxKeys: 1000)
        #expect(keys(page) == ["photos/readme"])
        #expect(page.commonPrefixes == ["photos/2024/", "photos/2025/"])
        #expect(!page.isTruncated)
    }

    @Test func rootWithDelimiter() {
        let page = Self.index(Self.keys).list(prefix: "", delimiter: "/", startAfter: nil, maxKeys: 1000)
        #expect(page.commonPrefixes == ["a/", "docs/", "photos/"])
        #expect(keys(page) == ["top"])
    }

    @Test func multiCharacterDelimiter() {
        let page = Self.index(["x--1", "x--2", "y", "z--"]).list(prefix: "", delimiter: "--", startAfter: nil, maxKeys: 10)
        #expect(page.commonPrefixes == ["x--", "z--"])
        #expect(keys(page) == ["y"])
    }

    @Test func paginationVisitsEveryEntryOnce() {
        let index = Self.index(Self.keys)
        for pageSize in 1...8 {
            var seen: [String] = []
            var marker: String?
            var pages = 0
            repeat {
                let page = index.list(prefix: "", delimiter: "/", startAfter: marker, maxKeys: pageSize)
                seen += keys(page) + page.commonPrefixes
                marker = page.isTruncated ? page.last : nil
                pages += 1
            } while marker != nil && pages < 20
            #expect(seen.sorted() == ["a/", "docs/", "photos/", "top"], "page size \(pageSize)")
        }
    }

    @Test func truncationIsExact() {
        let index = Self.index(["a", "b", "c"])
        #expect(index.list(prefix: "", delimiter: nil, startAfter: nil, maxKeys: 3).isTruncated == false)
        let page = index.list(prefix: "", delimiter: nil, startAfter: nil, maxKeys: 2)
        #expect(page.isTruncated)
        #expect(page.last == "b")
        #expect(index.list(prefix: "", delimiter: nil, startAfter: nil, maxKeys: 0).objects.isEmpty)
    }

    @Test func startAfterAndPrefixCombine() {
        let index = Self.index(Self.keys)
        #expect(keys(index.list(prefix: "photos/", delimiter: nil, startAfter: "photos/2024/b", maxKeys: 10)) == [
            "photos/2025/c", "photos/readme",
        ])
        #expect(keys(index.list(prefix: "photos/", delimiter: nil, startAfter: "a", maxKeys: 2)) == [
            "photos/2024/a", "photos/2024/b",
        ])
        #expect(keys(index.list(prefix: "", delimiter: nil, startAfter: "zzz", maxKeys: 10)).isEmpty)
    }

    @Test func markerThatIsACommonPrefixSkipsItsKeys() {
        let page = Self.index(Self.keys).list(prefix: "", delimiter: "/", startAfter: "docs/", maxKeys: 10)
        #expect(page.commonPrefixes == ["photos/"])
        #expect(keys(page) == ["top"])
    }
}
