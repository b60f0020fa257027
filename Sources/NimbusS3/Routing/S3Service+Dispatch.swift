import Hummingbird

extension S3Service {
    /// Sub-resources S3 has and Nimbus does not: answered 501 NotImplemented rather than being
    /// mistaken for a plain object or bucket request.
    static let unsupportedBucketSubresources: Set<String> = [
        "accelerate", "analytics", "intelligent-tiering", "inventory", "logging", "metrics",
        "notification", "object-lock", "ownershipControls", "policy", "policyStatus", "publicAccessBlock",
        "replication", "requestPayment", "website", "session", "metadataTable", "metadataConfiguration",
    ]
    static let unsupportedObjectSubresources: Set<String> = [
        "retention", "legal-hold", "torrent", "restore", "select", "renameObject",
    ]

    func dispatch(_ request: S3Request) async throws -> Response {
        // Only plain `chunked` framing is decoded; another coding (`gzip, chunked`) would be stored
        // still encoded.
        if let coding = request.header("Transfer-Encoding"), coding.lowercased() != "chunked" {
            throw S3Error.notImplemented("Transfer-Encoding")
        }
        guard let bucket = request.bucket else {
            guard request.method == .get else { throw S3Error.methodNotAllowed(request.method.rawValue, resource: "SERVICE") }
            return try listBuckets(request)
        }
        guard request.rawKey != nil else {
            return try await dispatchBucket(request, bucket: bucket)
        }
        return try await dispatchObject(request, bucket: bucket)
    }

    private func dispatchBucket(_ request: S3Request, bucket: String) async throws -> Response {
        let query = request.query
        if let answer = try readUnconfigured(request, bucket: bucket) { return answer }
        if request.method == .get && query.contains("ownershipControls") {
            return try getBucketOwnershipControls(request, bucket: bucket)
        }
        if let unsupported = query.items.first(where: { Self.unsupportedBucketSubresources.contains($0.name) }) {
            throw S3Error.notImplemented("?\(unsupported.name)")
        }
        switch request.method {
        case .get:
            if query.contains("location") { return try getBucketLocation(request, bucket: bucket) }
            if query.contains("versioning") { return try getBucketVersioning(request, bucket: bucket) }
            if query.contains("lifecycle") { return try getBucketLifecycle(request, bucket: bucket) }
            if query.contains("cors") { return try getBucketCORS(request, bucket: bucket) }
            if query.contains("tagging") { return try getBucketTagging(request, bucket: bucket) }
            if query.contains("encryption") { return try getBucketEncryption(request, bucket: bucket) }
            if query.contains("uploads") { return try listMultipartUploads(request, bucket: bucket) }
            if query.contains("acl") { return try getACL(request, bucket: bucket) }
            if query.contains("versions") { return try listObjectVersions(request, bucket: bucket) }
            return try listObjects(request, bucket: bucket)
        case .put:
            if query.contains("lifecycle") { return try await putBucketLifecycle(request, bucket: bucket) }
            if query.contains("cors") { return try await putBucketCORS(request, bucket: bucket) }
            if query.contains("tagging") { return try await putBucketTagging(request, bucket: bucket) }
            if query.contains("encryption") { return try await putBucketEncryption(request, bucket: bucket) }
            if query.contains("versioning") { return try await putBucketVersioning(request, bucket: bucket) }
            if query.contains("acl") { throw S3Error.notImplemented("?acl") }
            return try await createBucket(request, bucket: bucket)
        case .delete:
            if query.contains("lifecycle") { return try deleteBucketLifecycle(request, bucket: bucket) }
            if query.contains("cors") { return try deleteBucketCORS(request, bucket: bucket) }
            if query.contains("tagging") { return try await deleteBucketTagging(request, bucket: bucket) }
            if query.contains("encryption") { return try await deleteBucketEncryption(request, bucket: bucket) }
            return try deleteBucket(request, bucket: bucket)
        case .head:
            return try headBucket(request, bucket: bucket)
        case .post:
            if query.contains("delete") { return try await deleteObjects(request, bucket: bucket) }
            return try await postObject(request, bucket: bucket)
        default:
            throw S3Error.methodNotAllowed(request.method.rawValue, resource: "BUCKET")
        }
    }

    private func dispatchObject(_ request: S3Request, bucket: String) async throws -> Response {
        let query = request.query
        if let unsupported = query.items.first(where: { Self.unsupportedObjectSubresources.contains($0.name) }) {
            throw S3Error.notImplemented("?\(unsupported.name)")
        }
        let uploadID = query["uploadId"]
        switch request.method {
        case .get:
            if let uploadID { return try listParts(request, bucket: bucket, uploadID: uploadID) }
            if query.contains("acl") { return try getACL(request, bucket: bucket) }
            if query.contains("tagging") { return try getObjectTagging(request, bucket: bucket) }
            if query.contains("attributes") { return try getObjectAttributes(request, bucket: bucket) }
            return try await getObject(request, bucket: bucket)
        case .head:
            return try await getObject(request, bucket: bucket)
        case .put:
            if query.contains("acl") { throw S3Error.notImplemented("?acl") }
            if query.contains("tagging") { return try await putObjectTagging(request, bucket: bucket) }
            if let uploadID {
                if request.header("x-amz-copy-source") != nil {
                    return try await uploadPartCopy(request, bucket: bucket, uploadID: uploadID)
                }
                return try await uploadPart(request, bucket: bucket, uploadID: uploadID)
            }
            if request.header("x-amz-copy-source") != nil { return try await copyObject(request, bucket: bucket) }
            return try await putObject(request, bucket: bucket)
        case .delete:
            if let uploadID { return try await abortMultipartUpload(request, bucket: bucket, uploadID: uploadID) }
            if query.contains("tagging") { return try await deleteObjectTagging(request, bucket: bucket) }
            return try await deleteObject(request, bucket: bucket)
        case .post:
            if query.contains("uploads") { return try await createMultipartUpload(request, bucket: bucket) }
            if let uploadID { return try await completeMultipartUpload(request, bucket: bucket, uploadID: uploadID) }
            throw S3Error.methodNotAllowed("POST", resource: "OBJECT")
        default:
            throw S3Error.methodNotAllowed(request.method.rawValue, resource: "OBJECT")
        }
    }
}
