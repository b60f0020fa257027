import HTTPTypes

extension ObjectSettings {
    /// What a write's `x-amz-tagging`, `x-amz-storage-class` and `x-amz-server-side-encryption`
    /// headers ask for (PutObject, CreateMultipartUpload, CopyObject); without the last, the
    /// bucket's default encryption, as S3 applies it.
    init(request: S3Request, bucket: any BucketStore) throws(S3Error) {
        try self.init(headers: request.headers, bucket: bucket)
    }

    /// The same from header fields (a POST form's fields).
    init(headers: HTTPFields, bucket: any BucketStore) throws(S3Error) {
        self.init(
            tags: try TagSet(header: headers[Self.taggingField]),
            storageClass: try StorageClass(header: headers[Self.storageClassField]),
            encryption: try ServerSideEncryption(request: headers) ?? bucket.configuration.defaultEncryption)
    }

    private static let taggingField = HTTPField.Name(TagSet.headerName)!

    /// GetObject and HeadObject's headers: the encryption always, the storage class unless it is
    /// STANDARD, and the number of tags when there are any, as S3 sends them.
    func apply(to headers: inout HTTPFields) {
        encryption.apply(to: &headers)
        if storageClass != .standard { headers[Self.storageClassField] = storageClass.rawValue }
        if !tags.isEmpty { headers[Self.tagCountField] = String(tags.count) }
    }

    private static let storageClassField = HTTPField.Name(StorageClass.headerName)!
    private static let tagCountField = HTTPField.Name("x-amz-tagging-count")!
}
