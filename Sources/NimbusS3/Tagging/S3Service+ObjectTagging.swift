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
        guard let opened = try bucket.object(key, prefetch: 0) else { throw S3Error.noSuchKey(key.string) }
        return xmlResponse(opened.metadata.settings.tags.document)
    }

    func putObjectTagging(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let tags = try TagSet(document: try await parseXMLBody(request), for: .object)
        try await replaceTags(of: key, in: bucket, with: tags)
        return emptyResponse()
    }

    func deleteObjectTagging(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        try await replaceTags(of: key, in: bucket, with: .empty)
        return emptyResponse(.noContent)
    }

    private func replaceTags(of key: ObjectKey, in bucket: any BucketStore, with tags: TagSet) async throws {
        _ = try await BlockingIO.run { try bucket.rewrite(key) { $0.settings.tags = tags } }
    }
}
