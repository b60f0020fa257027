import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NimbusCore
import Testing

@testable import NimbusS3

@Suite struct VersioningOperationTests {
    static let enable = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
    static let suspend = "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"

    /// `Version` and `DeleteMarker` entries of a ListObjectVersions answer, in order, as `key@id`
    /// (markers with a leading `-`).
    static func versions(_ client: any TestClientProtocol, _ bucket: String) async throws -> [String] {
        let listing = try await client.s3(.get, "/\(bucket)?versions")
        return (listing.xml?.children ?? []).compactMap { entry -> String? in
            guard entry.name == "Version" || entry.name == "DeleteMarker" else { return nil }
            let id = "\(entry.value("Key") ?? "")@\(entry.value("VersionId") ?? "")"
            return entry.name == "DeleteMarker" ? "-" + id : id
        }
    }

    @Test func versionsAndMarkersSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        let configuration = S3Configuration(durableWrites: true)
        let before = VersionsSeen()
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/k", body: "null one")
            #expect(try await client.s3(.put, "/bucket?versioning", body: Self.enable).status == .ok)
            let second = try await client.s3(.put, "/bucket/k", body: "second").header("x-amz-version-id")
            let marker = try await client.s3(.delete, "/bucket/gone")
            #expect(marker.header("x-amz-delete-marker") == "true")
            #expect(try await client.s3(.put, "/bucket?versioning", body: Self.suspend).status == .ok)
            #expect(try await client.s3(.put, "/bucket/k", body: "null two").header("x-amz-version-id") == "null")
            await before.set(try await Self.versions(client, "bucket"), second: second)
        }
        let seen = await before.listing
        let second = try #require(await before.second)
        #expect(seen == ["-gone@\(marker(seen))", "k@null", "k@\(second)"])
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            #expect(try await Self.versions(client, "bucket") == seen)
            #expect(try await client.s3(.get, "/bucket/k").text == "null two")
            #expect(try await client.s3(.get, "/bucket/k?versionId=\(second)").text == "second")
            #expect(try await client.s3(.get, "/bucket/gone").header("x-amz-delete-marker") == "true")
            #expect(try await client.s3(.get, "/bucket?versioning").xml?.value("Status") == "Suspended")
            // The next version still sorts first.
            #expect(try await client.s3(.put, "/bucket?versioning", body: Self.enable).status == .ok)
            let third = try #require(try await client.s3(.put, "/bucket/k", body: "third").header("x-amz-version-id"))
            #expect(try await Self.versions(client, "bucket").dropFirst().first == "k@\(third)")
        }
    }

    private func marker(_ listing: [String]) -> String {
        listing.first { $0.hasPrefix("-gone@") }.map { String($0.dropFirst("-gone@".count)) } ?? ""
    }

    @Test func lifecycleExpiryAddsADeleteMarkerInAVersionedBucket() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            LifecycleExpiryTests.lifecycleBucket(.array([.object(["Status": .string("Enabled"), "ExpirationInDays": .number(1)])])))
        try await S3Test.withRouter(service) { client in
            #expect(try await client.s3(.put, "/expiring?versioning", body: Self.enable).status == .ok)
            try await client.s3(.put, "/expiring/old", body: "x")
        }
        clock.advance(by: LifecycleExpiryTests.day * 3)
        #expect(await service.applyLifecycleRules().expiredObjects == 1)
        try await S3Test.withRouter(service) { client in
            let listing = try await Self.versions(client, "expiring")
            #expect(listing.count == 2 && listing[0].hasPrefix("-old@") && listing[1].hasPrefix("old@"))
            #expect(try await client.s3(.get, "/expiring/old").status == .notFound)
        }
        // The marker is the current version now: nothing left to expire.
        clock.advance(by: LifecycleExpiryTests.day * 3)
        #expect(await service.applyLifecycleRules().expiredObjects == 0)
    }

    @Test func lifecycleExpiresNoncurrentVersionsAndLoneDeleteMarkers() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            LifecycleExpiryTests.lifecycleBucket(.array([
                .object([
                    "Status": .string("Enabled"),
                    "NoncurrentVersionExpiration": .object([
                        "NoncurrentDays": .number(1), "NewerNoncurrentVersions": .number(1),
                    ]),
                ]),
                .object(["Status": .string("Enabled"), "ExpiredObjectDeleteMarker": .bool(true)]),
            ])))
        let ids = VersionsSeen()
        try await S3Test.withRouter(service) { client in
            #expect(try await client.s3(.put, "/expiring?versioning", body: Self.enable).status == .ok)
            var written: [String] = []
            for body in ["one", "two", "three"] {
                written.append(try #require(try await client.s3(.put, "/expiring/k", body: body).header("x-amz-version-id")))
            }
            // A key left with nothing but its delete marker.
            let only = try #require(try await client.s3(.put, "/expiring/m", body: "x").header("x-amz-version-id"))
            try await client.s3(.delete, "/expiring/m")
            #expect(try await client.s3(.delete, "/expiring/m?versionId=\(only)").status == .noContent)
            await ids.set(written, second: nil)
        }
        let written = await ids.listing
        // The lone marker goes at once; noncurrent versions only once a day has passed.
        #expect(await service.applyLifecycleRules().expiredVersions == 1)
        clock.advance(by: LifecycleExpiryTests.day * 2)
        #expect(await service.applyLifecycleRules().expiredVersions == 1)
        try await S3Test.withRouter(service) { client in
            // The newest noncurrent version is kept (NewerNoncurrentVersions 1); the older one is gone.
            let listing = try await Self.versions(client, "expiring")
            #expect(listing == ["k@\(written[2])", "k@\(written[1])"])
        }
        #expect(await service.applyLifecycleRules() == LifecyclePassReport())
    }

    @Test func templateVersioningIsProvisioned() throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path)
        func define(_ versioning: JSONValue?) -> BucketDefinition {
            BucketDefinition(
                logicalID: "Uploads", bucketName: "uploads",
                properties: .object(versioning.map { ["VersioningConfiguration": $0] } ?? [:]))
        }
        try service.provision(define(nil))
        #expect(try service.store.bucket("uploads").versioning == nil)
        try service.provision(define(.object(["Status": .string("Enabled")])))
        #expect(try service.store.bucket("uploads").versioning == .enabled)
        try service.provision(define(.object(["Status": .string("Suspended")])))
        #expect(try service.store.bucket("uploads").versioning == .suspended)
        try service.provision(define(nil))  // removing it changes nothing
        #expect(try service.store.bucket("uploads").versioning == .suspended)
        #expect(throws: S3Error.self) { try service.provision(define(.object(["Status": .string("On")]))) }
    }

    @Test func copyingAnOlderVersionOverItsKeyRestoresIt() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket?versioning", body: Self.enable)
            let old = try #require(try await client.s3(.put, "/bucket/k", body: "old").header("x-amz-version-id"))
            try await client.s3(.put, "/bucket/k", body: "new")
            let copy = try await client.s3(
                .put, "/bucket/k", headers: HTTPFields(["x-amz-copy-source": "/bucket/k?versionId=\(old)"]))
            #expect(copy.status == .ok)
            #expect(copy.header("x-amz-copy-source-version-id") == old)
            #expect(try await client.s3(.get, "/bucket/k").text == "old")
            #expect(try await Self.versions(client, "bucket").count == 3)
            // The current version onto itself, unchanged, is still refused.
            let current = try #require(copy.header("x-amz-version-id"))
            let itself = try await client.s3(
                .put, "/bucket/k", headers: HTTPFields(["x-amz-copy-source": "/bucket/k?versionId=\(current)"]))
            #expect(itself.errorCode == "InvalidRequest")
            // A malformed version ID in the copy source is refused before anything is read.
            let malformed = try await client.s3(
                .put, "/bucket/j", headers: HTTPFields(["x-amz-copy-source": "/bucket/k?versionId=..%2F..%2Fx"]))
            #expect(malformed.errorCode == "InvalidArgument")
        }
    }
}

/// What the first process saw, carried into the second.
private actor VersionsSeen {
    var listing: [String] = []
    var second: String?

    func set(_ listing: [String], second: String?) {
        self.listing = listing
        self.second = second
    }
}
