import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct ObjectSettingsOperationTests {
    static let sse = "x-amz-server-side-encryption"

    @Test func storageClassIsStoredAndReported() async throws {
        let directory = try TemporaryDirectory()
        let configuration = S3Configuration(durableWrites: false, minimumPartSize: 1)
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            try await client.s3(.put, "/bucket/cold", headers: HTTPFields(["x-amz-storage-class": "GLACIER"]), body: "ice")
            try await client.s3(.put, "/bucket/plain", body: "warm")
            // Readable whatever the class: no restore step.
            let cold = try await client.s3(.get, "/bucket/cold")
            #expect(cold.text == "ice")
            #expect(cold.header("x-amz-storage-class") == "GLACIER")
            #expect(try await client.s3(.head, "/bucket/plain").header("x-amz-storage-class") == nil)

            let listing = try await client.s3(.get, "/bucket?list-type=2")
            let classes = (listing.xml?.children("Contents") ?? []).map { "\($0.value("Key")!)=\($0.value("StorageClass")!)" }
            #expect(classes == ["cold=GLACIER", "plain=STANDARD"])
            let v1 = try await client.s3(.get, "/bucket")
            #expect(v1.xml?.child("Contents")?.value("StorageClass") == "GLACIER")
            let versions = try await client.s3(.get, "/bucket?versions")
            #expect(versions.xml?.child("Version")?.value("StorageClass") == "GLACIER")

            let created = try await client.s3(.post, "/bucket/big?uploads", headers: HTTPFields(["x-amz-storage-class": "STANDARD_IA"]))
            let uploadID = try #require(created.xml?.value("UploadId"))
            let parts = try await client.s3(.get, "/bucket/big?uploadId=\(uploadID)")
            #expect(parts.xml?.value("StorageClass") == "STANDARD_IA")
            #expect(try await client.s3(.get, "/bucket?uploads").xml?.child("Upload")?.value("StorageClass") == "STANDARD_IA")
            let part = try await client.s3(.put, "/bucket/big?partNumber=1&uploadId=\(uploadID)", body: "p")
            let complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\(part.headers[.eTag]!)</ETag></Part></CompleteMultipartUpload>"
            try await client.s3(.post, "/bucket/big?uploadId=\(uploadID)", body: complete)
            #expect(try await client.s3(.head, "/bucket/big").header("x-amz-storage-class") == "STANDARD_IA")

            // A copy takes the request's class, STANDARD when it names none; a class change
            // makes a copy onto itself legal.
            try await client.s3(.put, "/bucket/copy", headers: HTTPFields(["x-amz-copy-source": "/bucket/cold"]))
            #expect(try await client.s3(.head, "/bucket/copy").header("x-amz-storage-class") == nil)
            let moved = try await client.s3(.put, "/bucket/cold", headers: HTTPFields(["x-amz-copy-source": "/bucket/cold", "x-amz-storage-class": "DEEP_ARCHIVE"]))
            #expect(moved.status == .ok)
            #expect(try await client.s3(.head, "/bucket/cold").header("x-amz-storage-class") == "DEEP_ARCHIVE")

            let bad = try await client.s3(.put, "/bucket/bad", headers: HTTPFields(["x-amz-storage-class": "FROZEN"]), body: "x")
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "InvalidStorageClass")
            #expect(try await client.s3(.post, "/bucket/bad?uploads", headers: HTTPFields(["x-amz-storage-class": "FROZEN"])).errorCode == "InvalidStorageClass")
            #expect(try await client.s3(.head, "/bucket/bad").status == .notFound)
        }
    }

    @Test func encryptionHeadersOnEveryWriteAndRead() async throws {
        let directory = try TemporaryDirectory()
        let configuration = S3Configuration(durableWrites: false, minimumPartSize: 1)
        try await S3Test.withRouter(try S3Test.service(directory.path, configuration: configuration)) { client in
            try await client.s3(.put, "/bucket")
            let put = try await client.s3(.put, "/bucket/k", body: "data")
            #expect(put.header(Self.sse) == "AES256")
            #expect(try await client.s3(.get, "/bucket/k").header(Self.sse) == "AES256")
            #expect(try await client.s3(.head, "/bucket/k").header(Self.sse) == "AES256")
            let copy = try await client.s3(.put, "/bucket/c", headers: HTTPFields(["x-amz-copy-source": "/bucket/k"]))
            #expect(copy.header(Self.sse) == "AES256")

            let kmsHeaders = HTTPFields([Self.sse: "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "alias/app"])
            let created = try await client.s3(.post, "/bucket/big?uploads", headers: kmsHeaders)
            #expect(created.header(Self.sse) == "aws:kms")
            #expect(created.header("x-amz-server-side-encryption-aws-kms-key-id") == "alias/app")
            let uploadID = try #require(created.xml?.value("UploadId"))
            let part = try await client.s3(.put, "/bucket/big?partNumber=1&uploadId=\(uploadID)", body: "p")
            #expect(part.header(Self.sse) == "aws:kms")
            let complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\(part.headers[.eTag]!)</ETag></Part></CompleteMultipartUpload>"
            let completed = try await client.s3(.post, "/bucket/big?uploadId=\(uploadID)", body: complete)
            #expect(completed.header(Self.sse) == "aws:kms")
            let head = try await client.s3(.head, "/bucket/big")
            #expect(head.header(Self.sse) == "aws:kms")
            #expect(head.header("x-amz-server-side-encryption-aws-kms-key-id") == "alias/app")

            let bad = try await client.s3(.put, "/bucket/bad", headers: HTTPFields([Self.sse: "ROT13"]), body: "x")
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "InvalidArgument")
            #expect(try await client.s3(.head, "/bucket/bad").status == .notFound)
        }
    }

    @Test func bucketEncryptionIsTheDefaultForNewObjects() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
            let standard = try await client.s3(.get, "/bucket?encryption")
            let byDefault = standard.xml?.child("Rule")?.child("ApplyServerSideEncryptionByDefault")
            #expect(byDefault?.value("SSEAlgorithm") == "AES256")
            #expect(standard.xml?.child("Rule")?.value("BucketKeyEnabled") == "false")

            let kms = "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/bucket</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"
            #expect(try await client.s3(.put, "/bucket?encryption", body: kms).status == .ok)
            let stored = try await client.s3(.get, "/bucket?encryption")
            #expect(stored.xml?.child("Rule")?.child("ApplyServerSideEncryptionByDefault")?.value("KMSMasterKeyID") == "alias/bucket")
            let put = try await client.s3(.put, "/bucket/k", body: "x")
            #expect(put.header(Self.sse) == "aws:kms")
            #expect(put.header("x-amz-server-side-encryption-aws-kms-key-id") == "alias/bucket")
            // The request's own setting wins over the bucket's.
            #expect(try await client.s3(.put, "/bucket/own", headers: HTTPFields([Self.sse: "AES256"]), body: "x").header(Self.sse) == "AES256")

            #expect(try await client.s3(.put, "/bucket?encryption", body: "<ServerSideEncryptionConfiguration/>").errorCode == "MalformedXML")
            #expect(try await client.s3(.delete, "/bucket?encryption").status == .noContent)
            #expect(try await client.s3(.get, "/bucket?encryption").xml?.child("Rule")?.child("ApplyServerSideEncryptionByDefault")?.value("SSEAlgorithm") == "AES256")
            #expect(try await client.s3(.put, "/bucket/later", body: "x").header(Self.sse) == "AES256")
            #expect(try await client.s3(.get, "/nobucket?encryption").errorCode == "NoSuchBucket")
        }
    }

    /// An object file written before settings were stored (format version 1) is served after an
    /// upgrade, reported as STANDARD and SSE-S3, and can be tagged.
    @Test func objectFilesOfTheFormerFormatAreServed() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/bucket")
        }
        var file = Array("foo".utf8) + ObjectMetadataCodecTests.versionOneTrailer
        withUnsafeBytes(of: UInt32(ObjectMetadataCodecTests.versionOneTrailer.count).littleEndian) { file.append(contentsOf: $0) }
        file += ObjectFile.magic
        let path = directory.path + "/buckets/bucket/objects/" + DiskBucket.fileName(for: ObjectKey(trusted: "k"))
        try Data(file).write(to: URL(fileURLWithPath: path))

        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            let old = try await client.s3(.get, "/bucket/k")
            #expect(old.text == "foo")
            #expect(old.header("x-amz-meta-a") == "b")
            #expect(old.header(Self.sse) == "AES256")
            #expect(old.header("x-amz-storage-class") == nil)
            #expect(old.header("x-amz-tagging-count") == nil)
            let tagging = "<Tagging><TagSet><Tag><Key>new</Key><Value>tag</Value></Tag></TagSet></Tagging>"
            #expect(try await client.s3(.put, "/bucket/k?tagging", body: tagging).status == .ok)
            let tagged = try await client.s3(.get, "/bucket/k")
            #expect(tagged.text == "foo")
            #expect(tagged.header("x-amz-tagging-count") == "1")
            #expect(tagged.headers[.eTag] == old.headers[.eTag])
            #expect(tagged.headers[.lastModified] == old.headers[.lastModified])
        }
    }
}
