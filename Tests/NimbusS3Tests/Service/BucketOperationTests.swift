import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct BucketOperationTests {
    @Test func createHeadListDelete() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            let created = try await client.s3(.put, "/photos")
            #expect(created.status == .ok)
            #expect(created.headers[.location] == "/photos")
            #expect(created.header("x-amz-request-id")?.count == 16)
            #expect(try await client.s3(.head, "/photos").status == .ok)
            let list = try await client.s3(.get, "/")
            #expect(list.xml?.child("Buckets")?.children("Bucket").compactMap { $0.value("Name") } == ["photos"])
            #expect(try await client.s3(.delete, "/photos").status == .noContent)
            let missing = try await client.s3(.head, "/photos")
            #expect(missing.status == .notFound)
            #expect(missing.body.readableBytes == 0)
        }
    }

    @Test func conflictsAndBadNames() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/photos")
            let again = try await client.s3(.put, "/photos")
            #expect(again.status == .conflict)
            #expect(again.errorCode == "BucketAlreadyOwnedByYou")
            try await client.s3(.put, "/photos/k", body: "x")
            let notEmpty = try await client.s3(.delete, "/photos")
            #expect(notEmpty.status == .conflict)
            #expect(notEmpty.errorCode == "BucketNotEmpty")
            for name in ["ab", "UPPER", "a_b", "a..b"] {
                let bad = try await client.s3(.put, "/\(name)")
                #expect(bad.status == .badRequest)
                #expect(bad.errorCode == "InvalidBucketName")
            }
            #expect(try await client.s3(.get, "/Bad_Name/key").errorCode == "InvalidBucketName")
            #expect(try await client.s3(.get, "/missing-bucket/key").errorCode == "NoSuchBucket")
        }
    }

    @Test func locationConstraintAndVersioning() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            let body =
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
            #expect(try await client.s3(.put, "/euro", body: body).status == .ok)
            #expect(try await client.s3(.get, "/euro?location").xml?.text == "eu-west-1")
            #expect(try await client.s3(.head, "/euro").header("x-amz-bucket-region") == "eu-west-1")
            try await client.s3(.put, "/plain")
            #expect(try await client.s3(.get, "/plain?location").xml?.text == "")
            let versioning = try await client.s3(.get, "/plain?versioning")
            #expect(versioning.xml?.name == "VersioningConfiguration")
            #expect(versioning.xml?.children.isEmpty == true)
            #expect(try await client.s3(.put, "/bad", body: "<nope").errorCode == "MalformedXML")
            let badRegion = "<CreateBucketConfiguration><LocationConstraint>Not A Region</LocationConstraint></CreateBucketConfiguration>"
            #expect(try await client.s3(.put, "/badregion", body: badRegion).errorCode == "InvalidLocationConstraint")
        }
    }

    @Test func virtualHostedStyleAddressing() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            let host = HTTPFields(["Host": "photos.localhost:4566"])
            #expect(try await client.s3(.put, "/", headers: host).status == .ok)
            #expect(try await client.s3(.put, "/cat.jpg", headers: host, body: "meow").status == .ok)
            #expect(try await client.s3(.get, "/photos/cat.jpg").text == "meow")
            #expect(try await client.s3(.get, "/cat.jpg", headers: host).text == "meow")
            let listing = try await client.s3(.get, "/?list-type=2", headers: host)
            #expect(listing.xml?.child("Contents")?.value("Key") == "cat.jpg")
            // Dotted bucket names work too; a bare suffix or an IP address is path-style.
            #expect(S3Request.virtualHostBucket(host: "my.dotted.bucket.localhost", suffixes: ["localhost"]) == "my.dotted.bucket")
            #expect(S3Request.virtualHostBucket(host: "localhost:4566", suffixes: ["localhost"]) == nil)
            #expect(S3Request.virtualHostBucket(host: "127.0.0.1:4566", suffixes: ["localhost"]) == nil)
        }
    }

    @Test func unsupportedRequests() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/photos")
            let policy = try await client.s3(.put, "/photos?policy", body: #"{"Version":"2012-10-17","Statement":[]}"#)
            #expect(policy.status == .notImplemented)
            #expect(policy.errorCode == "NotImplemented")
            // Read back as never configured.
            let readPolicy = try await client.s3(.get, "/photos?policy")
            #expect(readPolicy.status == .notFound)
            #expect(readPolicy.errorCode == "NoSuchBucketPolicy")
            #expect(try await client.s3(.get, "/photos/k?retention").status == .notImplemented)
            let patch = try await client.s3(.patch, "/photos/k")
            #expect(patch.status == .methodNotAllowed)
            #expect(patch.errorCode == "MethodNotAllowed")
            #expect(try await client.s3(.post, "/").status == .methodNotAllowed)
            #expect(try await client.s3(.get, "/photos/%ZZ").errorCode == "InvalidURI")
            #expect(try await client.s3(.get, "/photos/%FF%FE").errorCode == "InvalidURI")
        }
    }
}
