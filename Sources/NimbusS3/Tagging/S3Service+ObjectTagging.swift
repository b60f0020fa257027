import Hummingbird

/// GetObjectTagging, PutObjectTagging, DeleteObjectTagging.
///
/// Changing an object's tags rewrites its file with the new metadata trailer (the bytes are
/// copied, so this costs as much as the object is large) and publishes it through the bucket's
/// journal like any write; the ETag and Last-Modified stay as they were.
extension S3Service {
    func getObjectTagging(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let version = try requestedVersion(request)
        let opened = try openRequested(key, version: version, in: bucket, method: "GET", prefetch: 0)
        return xmlResponse(
            opened.metadata.settings.tags.document,
            headers: Self.versionHeaders(opened.metadata.versionID, bucket: bucket, named: version != nil))
    }

    func putObjectTagging(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let tags = try TagSet(document: try await parseXMLBody(request), for: .object)
        let headers = try await replaceTags(of: key, in: bucket, request: request, with: tags)
        return emptyResponse(headers: headers)
    }

    func deleteObjectTagging(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let headers = try await replaceTags(of: key, in: bucket, request: request, with: .empty)
        return emptyResponse(.noContent, headers: headers)
    }

    /// Rewrites the version the request names (else the current one); answers its version header.
    private func replaceTags(of key: ObjectKey, in bucket: any BucketStore, request: S3Request, with tags: TagSet)
        async throws -> HTTPFields
    {
        let version = try requestedVersion(request)
        let method = request.method.rawValue
        let metadata = try await BlockingIO.run { () throws -> ObjectMetadata in
            _ = try self.openRequested(key, version: version, in: bucket, method: method, prefetch: 0)
            return try bucket.rewrite(key, versionID: version) { $0.settings.tags = tags }
        }
        return Self.versionHeaders(metadata.versionID, bucket: bucket, named: version != nil)
    }
}
