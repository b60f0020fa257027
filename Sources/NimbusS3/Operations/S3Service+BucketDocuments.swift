import Hummingbird

/// A bucket configuration kept as the client wrote it (lifecycle, CORS): validated when put,
/// returned unchanged by its Get operation.
protocol BucketDocument: Sendable, Equatable {
    init(xml body: [UInt8]) throws(S3Error)
    /// The document's root element, without an XML declaration.
    var xml: String { get }
}

extension S3Service {
    /// A Put operation of a bucket document: read, checked against Content-MD5, validated, then
    /// stored with `store`.
    func putBucketDocument<Document: BucketDocument>(
        _ request: S3Request, bucket name: String,
        _ store: @escaping @Sendable (any BucketStore, Document) throws -> Void
    ) async throws -> Response {
        let bucket = try self.store.bucket(name)
        let body = try await collectBody(request)
        if let md5 = request.header("Content-MD5") { try BodyReceiver.verifyContentMD5(md5, of: body) }
        let document = try Document(xml: body)
        try await storageWork { try store(bucket, document) }
        return emptyResponse()
    }

    /// A Get operation of a bucket document: the document as written, or `missing`.
    func bucketDocumentResponse(_ document: (some BucketDocument)?, missing: S3Error) throws -> Response {
        guard let document else { throw missing }
        var xml = XMLWriter()
        xml.raw(document.xml)
        return xmlResponse(xml)
    }
}
