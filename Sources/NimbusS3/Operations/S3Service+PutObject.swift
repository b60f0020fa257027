import Hummingbird

extension S3Service {
    /// PutObject: the body streams into the bucket's staging directory, is checked (Content-MD5,
    /// x-amz-content-sha256, x-amz-checksum-*, length), gets its metadata trailer, is flushed,
    /// and only then renamed into place.
    func putObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try registry.bucket(name)
        let key = try request.key()
        let content = ContentHeaders(request: request.headers)
        let userMetadata = try ObjectHeaders.userMetadata(request.headers)
        let condition = writeCondition(request)
        let received = try await BodyReceiver.receive(
            request, into: bucket.stagingDirectory, maximumSize: configuration.maximumObjectSize)
        let metadata = ObjectMetadata(
            key: key.string, size: received.size, lastModified: now, etag: received.etag, content: content,
            userMetadata: userMetadata, checksums: received.checksums)
        let durable = configuration.durableWrites
        try await storageWork {
            try received.staged.finish(with: metadata, durable: durable)
            try bucket.publish(received.staged, as: key, metadata: metadata, condition: condition)
        }
        var headers: HTTPFields = [.eTag: "\"\(metadata.etag)\""]
        ObjectHeaders.checksumHeaders(metadata, into: &headers)
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
