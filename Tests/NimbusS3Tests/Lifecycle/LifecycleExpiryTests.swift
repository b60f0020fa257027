import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NimbusCore
import ServiceLifecycle
import Testing

@testable import NimbusS3

@Suite struct LifecycleExpiryTests {
    static let day = Duration.seconds(86_400)

    static func put(_ service: S3Service, _ key: String, bucket: String = "expiring") async throws {
        try await S3Test.withRouter(service) { client in
            let response = try await client.s3(.put, "/\(bucket)/\(key)", body: "x")
            #expect(response.status == .ok)
        }
    }

    static func keys(_ service: S3Service, bucket: String = "expiring") -> [String] {
        (try? service.store.bucket(bucket).entries().map(\.key.string)) ?? []
    }

    static func lifecycleBucket(_ rules: JSONValue) -> BucketDefinition {
        BucketDefinition(
            logicalID: "Expiring", bucketName: "expiring",
            properties: .object(["LifecycleConfiguration": .object(["Rules": rules])]))
    }

    @Test func passExpiresOnlyMatchingObjectsOnceDue() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            Self.lifecycleBucket(.array([
                .object(["Status": .string("Enabled"), "Prefix": .string("logs/"), "ExpirationInDays": .number(7)]),
                .object(["Status": .string("Disabled"), "Prefix": .string("keep/"), "ExpirationInDays": .number(1)]),
            ])))
        for key in ["logs/a", "logs/b", "data/c", "keep/d"] { try await Self.put(service, key) }

        #expect(await service.applyLifecycleRules() == LifecyclePassReport())
        clock.advance(by: Self.day * 6)
        #expect(await service.applyLifecycleRules().expiredObjects == 0)
        clock.advance(by: Self.day * 2)  // past the midnight after day 7
        #expect(await service.applyLifecycleRules().expiredObjects == 2)
        #expect(Self.keys(service) == ["data/c", "keep/d"])
    }

    @Test func tagFiltersMatchTheObjectsTags() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            Self.lifecycleBucket(.array([
                .object([
                    "Status": .string("Enabled"), "ExpirationInDays": .number(1),
                    "TagFilters": .array([.object(["Key": .string("temporary"), "Value": .string("yes")])]),
                ])
            ])))
        try await S3Test.withRouter(service) { client in
            try await client.s3(.put, "/expiring/scratch", headers: HTTPFields(["x-amz-tagging": "temporary=yes&team=a"]), body: "x")
            try await client.s3(.put, "/expiring/other", headers: HTTPFields(["x-amz-tagging": "temporary=no"]), body: "x")
            try await client.s3(.put, "/expiring/plain", body: "x")
            try await client.s3(.put, "/expiring/later", body: "x")
            let tagging = "<Tagging><TagSet><Tag><Key>temporary</Key><Value>yes</Value></Tag></TagSet></Tagging>"
            #expect(try await client.s3(.put, "/expiring/later?tagging", body: tagging).status == .ok)
        }
        clock.advance(by: Self.day * 3)
        #expect(await service.applyLifecycleRules().expiredObjects == 2)
        #expect(Self.keys(service) == ["other", "plain"])
    }

    @Test func backgroundServiceExpiresOnTheInjectedClock() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            Self.lifecycleBucket(.array([.object(["Status": .string("Enabled"), "ExpirationInDays": .number(7)])])))
        try await Self.put(service, "old")

        try await withThrowingTaskGroup(of: Void.self) { group in
            let lifecycle = service.lifecycleService(interval: .seconds(3600))
            group.addTask { try await lifecycle.run() }
            // Wait until the service has made its first pass and sleeps on the clock.
            for _ in 0..<500 where clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(clock.sleeperCount == 1)
            #expect(Self.keys(service) == ["old"])

            clock.advance(by: Self.day * 8)
            for _ in 0..<500 where !Self.keys(service).isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            #expect(Self.keys(service).isEmpty)
            group.cancelAll()
        }
    }

    @Test func overwrittenObjectSurvivesAStaleExpiry() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            Self.lifecycleBucket(.array([.object(["Status": .string("Enabled"), "ExpirationInDays": .number(1)])])))
        try await Self.put(service, "k")
        let bucket = try service.store.bucket("expiring")
        let stale = try #require(bucket.entries().first)
        clock.advance(by: Self.day * 3)
        try await Self.put(service, "k")  // newer version
        #expect(try bucket.delete([(stale.key, stale.summary)], now: 0) == [nil])
        #expect(Self.keys(service) == ["k"])
    }

    @Test func abortsStaleMultipartUploads() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        try service.provision(
            Self.lifecycleBucket(.array([
                .object([
                    "Status": .string("Enabled"),
                    "AbortIncompleteMultipartUpload": .object(["DaysAfterInitiation": .number(1)]),
                ])
            ])))
        try await S3Test.withRouter(service) { client in
            let response = try await client.s3(.post, "/expiring/big?uploads")
            #expect(response.status == .ok)
        }
        let bucket = try service.store.bucket("expiring")
        #expect(try bucket.uploads().count == 1)
        clock.advance(by: Self.day * 3)
        #expect(await service.applyLifecycleRules().abortedUploads == 1)
        #expect(try bucket.uploads().isEmpty)
    }

    @Test func provisionIsIdempotentAndFollowsTheTemplate() async throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path)
        let definition = Self.lifecycleBucket(
            .array([.object(["Status": .string("Enabled"), "ExpirationInDays": .number(7)])]))
        try service.provision(definition)
        try service.provision(definition)
        try await S3Test.withRouter(service) { client in
            let response = try await client.s3(.get, "/expiring?lifecycle")
            #expect(response.status == .ok)
            let rule = try #require(response.xml?.child("Rule"))
            #expect(rule.value("Status") == "Enabled")
            #expect(rule.child("Expiration")?.value("Days") == "7")  // STD-024
        }
        try service.provision(BucketDefinition(logicalID: "Expiring", bucketName: "expiring", properties: .object([:])))
        try await S3Test.withRouter(service) { client in
            let response = try await client.s3(.get, "/expiring?lifecycle")
            #expect(response.errorCode == "NoSuchLifecycleConfiguration")
        }
        // Survives a restart.
        try service.provision(definition)
        let reopened = try S3Test.service(directory.path)
        #expect(try reopened.store.bucket("expiring").lifecycle?.rules.first?.expirationDays == 7)
    }
}
