import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct ListingOperationTests {
    static let keys = ["a b", "a+b", "dir/one", "dir/two", "dir/sub/three", "é", "z"]

    static func withObjects(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            for key in Self.keys {
                let path = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/")))!
                #expect(try await client.s3(.put, "/bucket/\(path)", body: key).status == .ok)
            }
            try await test(client)
        }
    }

    static func keys(_ response: TestResponse) -> [String] {
        response.xml?.children("Contents").compactMap { $0.value("Key") } ?? []
    }

    static func prefixes(_ response: TestResponse) -> [String] {
        response.xml?.children("CommonPrefixes").compactMap { $0.value("Prefix") } ?? []
    }

    @Test func listV2WithDelimiterAndURLEncoding() async throws {
        try await Self.withObjects { client in
            let response = try await client.s3(.get, "/bucket?list-type=2&delimiter=%2F&encoding-type=url")
            let xml = try #require(response.xml)
            #expect(xml.name == "ListBucketResult")
            #expect(xml.value("KeyCount") == "5")
            #expect(xml.value("EncodingType") == "url")
            #expect(Self.keys(response) == ["a%20b", "a%2Bb", "z", "%C3%A9"])
            #expect(Self.prefixes(response) == ["dir/"])
            let sizes = xml.children("Contents").compactMap { $0.value("Size") }
            #expect(sizes == ["3", "3", "1", "2"])
            #expect(xml.child("Contents")?.child("Owner") == nil)
            #expect(xml.child("Contents")?.value("StorageClass") == "STANDARD")
        }
    }

    @Test func listV2Pagination() async throws {
        try await Self.withObjects { client in
            var token: String?
            var seen: [String] = []
            repeat {
                let query = "list-type=2&max-keys=2&fetch-owner=true" + (token.map { "&continuation-token=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let page = try await client.s3(.get, "/bucket?\(query)")
                #expect(page.xml?.child("Contents")?.child("Owner")?.value("DisplayName") == "nimbus")
                seen += Self.keys(page)
                token = page.xml?.value("IsTruncated") == "true" ? page.xml?.value("NextContinuationToken") : nil
            } while token != nil
            #expect(seen == Self.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            let after = try await client.s3(.get, "/bucket?list-type=2&start-after=dir%2Ftwo")
            #expect(Self.keys(after) == ["z", "é"])
            #expect(after.xml?.value("StartAfter") == "dir/two")
            let bad = try await client.s3(.get, "/bucket?list-type=2&continuation-token=%%%")
            #expect(bad.errorCode == "InvalidURI")
            #expect(try await client.s3(.get, "/bucket?list-type=2&continuation-token=@@@").errorCode == "InvalidArgument")
            #expect(try await client.s3(.get, "/bucket?list-type=2&max-keys=-1").errorCode == "InvalidArgument")
            #expect(try await client.s3(.get, "/bucket?list-type=2&encoding-type=base64").errorCode == "InvalidArgument")
        }
    }

    @Test func listV1Markers() async throws {
        try await Self.withObjects { client in
            let first = try await client.s3(.get, "/bucket?prefix=dir%2F&delimiter=%2F&max-keys=1")
            #expect(first.xml?.value("IsTruncated") == "true")
            #expect(Self.keys(first) == ["dir/one"])
            #expect(first.xml?.value("NextMarker") == "dir/one")
            #expect(first.xml?.child("Contents")?.child("Owner") != nil)
            let second = try await client.s3(.get, "/bucket?prefix=dir%2F&delimiter=%2F&marker=dir%2Fone")
            #expect(Self.prefixes(second) == ["dir/sub/"])
            #expect(Self.keys(second) == ["dir/two"])
            #expect(second.xml?.value("IsTruncated") == "false")
            #expect(second.xml?.value("Marker") == "dir/one")
        }
    }

    @Test func listObjectVersionsReportsNullVersions() async throws {
        try await Self.withObjects { client in
            let response = try await client.s3(.get, "/bucket?versions&prefix=dir%2F&delimiter=%2F")
            let xml = try #require(response.xml)
            #expect(xml.name == "ListVersionsResult")
            #expect(xml.children("Version").compactMap { $0.value("Key") } == ["dir/one", "dir/two"])
            #expect(xml.child("Version")?.value("VersionId") == "null")
            #expect(xml.child("Version")?.value("IsLatest") == "true")
            #expect(Self.prefixes(response) == ["dir/sub/"])
            let page = try await client.s3(.get, "/bucket?versions&max-keys=2&key-marker=a%20b")
            #expect(page.xml?.children("Version").compactMap { $0.value("Key") } == ["a+b", "dir/one"])
            #expect(page.xml?.value("NextKeyMarker") == "dir/one")
        }
    }
}
