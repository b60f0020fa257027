import Hummingbird

/// GetBucketTagging, PutBucketTagging, DeleteBucketTagging: the tags live in `bucket.json`.
extension S3Service {
    func getBucketTagging(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        guard let tags = bucket.configuration.tags else {
            throw S3Error("NoSuchTagSet", "The TagSet does not exist", details: [("BucketName", name)])
        }
        return xmlResponse(tags.document)
    }

    /// An empty tag set removes the bucket's tags.
    func putBucketTagging(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let tags = try TagSet(document: try await parseXMLBody(request), for: .bucket)
        try await storageWork { try bucket.updateConfiguration { $0.tags = tags.isEmpty ? nil : tags } }
        return emptyResponse(.noContent)
    }

    func deleteBucketTagging(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        if bucket.configuration.tags != nil {
            try await storageWork { try bucket.updateConfiguration { $0.tags = nil } }
        }
        return emptyResponse(.noContent)
    }
}
