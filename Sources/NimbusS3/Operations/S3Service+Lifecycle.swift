import Hummingbird

/// PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle.
extension S3Service {
    func putBucketLifecycle(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let body = try await collectBody(request)
        if let md5 = request.header("Content-MD5") { try BodyReceiver.verifyContentMD5(md5, of: body) }
        let lifecycle = try LifecycleConfiguration(xml: body)
        try await storageWork { try bucket.setLifecycle(lifecycle) }
        return emptyResponse()
    }

    func getBucketLifecycle(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        guard let lifecycle = bucket.lifecycle else { throw S3Error.noSuchLifecycleConfiguration(name) }
        var xml = XMLWriter()
        xml.raw(lifecycle.xml)
        return xmlResponse(xml)
    }

    func deleteBucketLifecycle(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        if bucket.lifecycle != nil { try bucket.setLifecycle(nil) }
        return emptyResponse(.noContent)
    }
}
