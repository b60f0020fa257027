import Hummingbird

/// PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle.
extension S3Service {
    func putBucketLifecycle(_ request: S3Request, bucket name: String) async throws -> Response {
        try await putBucketDocument(request, bucket: name) { (bucket, lifecycle: LifecycleConfiguration) in
            try bucket.setLifecycle(lifecycle)
        }
    }

    func getBucketLifecycle(_ request: S3Request, bucket name: String) throws -> Response {
        try bucketDocumentResponse(store.bucket(name).lifecycle, missing: .noSuchLifecycleConfiguration(name))
    }

    func deleteBucketLifecycle(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        if bucket.lifecycle != nil { try bucket.setLifecycle(nil) }
        return emptyResponse(.noContent)
    }
}
