import Hummingbird

/// GetBucketEncryption, PutBucketEncryption, DeleteBucketEncryption. A bucket without a stored
/// configuration reports SSE-S3, the default of every S3 bucket since January 2023; deleting the
/// configuration returns to it.
extension S3Service {
    func getBucketEncryption(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        return xmlResponse((bucket.configuration.encryption ?? .s3Managed).document)
    }

    func putBucketEncryption(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let encryption = try BucketEncryption(document: try await parseXMLBody(request))
        try await storageWork { try bucket.updateConfiguration { $0.encryption = encryption } }
        return emptyResponse()
    }

    func deleteBucketEncryption(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        if bucket.configuration.encryption != nil {
            try await storageWork { try bucket.updateConfiguration { $0.encryption = nil } }
        }
        return emptyResponse(.noContent)
    }
}
