import Hummingbird

extension S3Service {
    /// PutObject: the body streams into storage, is checked (Content-MD5, x-amz-content-sha256,
    /// x-amz-checksum-*, length), and only then published with its metadata.
    func putObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let content = ContentHeaders(request: request.headers)
        let userMetadata = try ObjectHeaders.userMetadata(request.headers)
        let settings = try ObjectSettings(request: request, bucket: bucket)
        let condition = writeCondition(request)
        let received = try await BodyReceiver.receive(
            request, into: bucket, as: .object(key, condition: condition),
            maximumSize: configuration.maximumObjectSize, chunkSignatures: try chunkVerifier(for: request))
        let version = bucket.newVersion(now: now)
        let metadata = ObjectMetadata(
            key: key.string, size: received.size, lastModified: now, etag: received.etag, content: content,
            userMetadata: userMetadata, checksums: received.checksums, settings: settings, versionID: version.id,
            versionStamp: version.stamp)
        try await storageWork { try received.writer.finish(metadata) }
        var headers: HTTPFields = [.eTag: "\"\(metadata.etag)\""]
        headers.append(contentsOf: Self.versionHeaders(version.id, bucket: bucket))
        ObjectHeaders.checksumHeaders(metadata, into: &headers)
        settings.encryption.apply(to: &headers)
        return emptyResponse(headers: headers)
    }

    /// Conditional writes (`If-None-Match: *`, `If-Match`), checked at the moment of publishing.
    func writeCondition(_ request: S3Request) -> WriteCondition? {
        let ifNoneMatch = request.headers[.ifNoneMatch]
        let ifMatch = request.headers[.ifMatch]
        guard ifNoneMatch != nil || ifMatch != nil else { return nil }
        return WriteCondition(ifNoneMatch: ifNoneMatch, ifMatch: ifMatch)
    }
}
