import HTTPTypes
import Hummingbird
import NIOCore

/// PostObject: a browser-based upload (`multipart/form-data` to the bucket's URL), as boto3's
/// `generate_presigned_post` prepares it. The fields before the file are read first, the policy
/// and its signature checked, then the file streams into storage like a PutObject's body.
extension S3Service {
    /// The fields before the file may not exceed this, as in S3 (20 KB).
    static let postFieldsLimit = 20 * 1024

    /// Form fields that become the object's headers, as on a PUT.
    private static let headerFields: Set<String> = [
        "content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires",
        "x-amz-storage-class", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-context", "x-amz-server-side-encryption-bucket-key-enabled",
    ]

    func postObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        guard let boundary = request.headers[.contentType].flatMap(FormDataReader<RequestBody>.boundary(ofContentType:))
        else {
            throw S3Error(
                "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                details: [("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")])
        }
        let reader = FormDataReader(body: request.body, boundary: boundary)
        let (form, file) = try await Self.fieldsBeforeFile(reader)
        guard let file else {
            throw S3Error(
                "InvalidArgument", "POST requires exactly one file upload per request.",
                details: [("ArgumentName", "file"), ("ArgumentValue", "0")])
        }
        guard let keyField = form["key"] else {
            throw S3Error(
                "InvalidArgument", "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
                details: [("ArgumentName", "key"), ("ArgumentValue", "")])
        }
        let sizes = try checkPostSignature(form, bucket: name)
        let key = try ObjectKey(validating: keyField.replacingOccurrences(of: "${filename}", with: file.filename ?? ""))

        let headers = Self.objectHeaders(form)
        let settings = try ObjectSettings(headers: headers, bucket: bucket)
        let userMetadata = try ObjectHeaders.userMetadata(headers)
        let received = try await BodyReceiver.receive(
            FileContent(reader: reader), headers: headers, into: bucket, as: .object(key, condition: nil),
            maximumSize: min(configuration.maximumObjectSize, sizes?.upperBound ?? .max))
        do {
            while try await reader.nextPart() != nil {}  // S3 ignores fields after the file
            if let sizes, received.size < sizes.lowerBound {
                throw S3Error(
                    "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                    details: [("ProposedSize", "\(received.size)"), ("MinSizeAllowed", "\(sizes.lowerBound)")])
            }
        } catch {
            received.writer.discard()
            throw error
        }
        let version = bucket.newVersion(now: now)
        let metadata = ObjectMetadata(
            key: key.string, size: received.size, lastModified: now, etag: received.etag,
            content: ContentHeaders(request: headers), userMetadata: userMetadata, checksums: received.checksums,
            settings: settings, versionID: version.id, versionStamp: version.stamp)
        try await storageWork { try received.writer.finish(metadata) }
        return postResponse(
            form, request: request, bucket: name, key: key.string, etag: metadata.etag,
            versionHeaders: Self.versionHeaders(version.id, bucket: bucket))
    }

    /// Reads the fields up to the file part, which it returns without reading its content.
    private static func fieldsBeforeFile(
        _ reader: FormDataReader<RequestBody>
    ) async throws -> (PostForm, FormDataReader<RequestBody>.Part?) {
        var form = PostForm(fields: [])
        var bytes = 0
        while let part = try await reader.nextPart() {
            if part.name.lowercased() == "file" { return (form, part) }
            let value = try await reader.value(limit: postFieldsLimit - bytes)
            bytes += value.count
            form.fields.append((part.name, String(decoding: value, as: UTF8.self)))
        }
        return (form, nil)
    }

    /// The fields that a PUT would send as headers.
    private static func objectHeaders(_ form: PostForm) -> HTTPFields {
        var headers = HTTPFields()
        for (field, value) in form.fields {
            let lowered = field.lowercased()
            guard headerFields.contains(lowered) || lowered.hasPrefix("x-amz-meta-"), let name = HTTPField.Name(field)
            else { continue }
            headers.append(HTTPField(name: name, value: value))
        }
        return headers
    }

    /// Checks the policy's signature (through the service's verifier), then its conditions
    /// (always, when there is one: they are the uploader's own limits). A form without a policy is anonymous: allowed
    /// unless signatures are checked.
    private func checkPostSignature(_ form: PostForm, bucket: String) throws -> ClosedRange<Int64>? {
        guard let policyText = form["policy"] else {
            if signatureVerifier?.isStrict == true { throw S3Error("AccessDenied", "Access Denied") }
            return nil
        }
        let signed: S3SignedForm
        if let signature = form["x-amz-signature"] {
            guard form["x-amz-algorithm"] == "AWS4-HMAC-SHA256", let credential = form["x-amz-credential"],
                form["x-amz-date"] != nil
            else {
                throw S3Error(
                    "InvalidRequest",
                    "POST requires the x-amz-algorithm, x-amz-credential and x-amz-date fields with x-amz-signature")
            }
            signed = S3SignedForm(version: .v4, policy: policyText, credential: credential, signature: signature)
        } else if let signature = form["signature"], let accessKey = form["awsaccesskeyid"] {
            signed = S3SignedForm(version: .v2, policy: policyText, credential: accessKey, signature: signature)
        } else {
            throw S3Error(
                "InvalidArgument", "Bucket POST must contain a field named 'x-amz-signature' (or 'signature' and 'AWSAccessKeyId') with the policy.",
                details: [("ArgumentName", "x-amz-signature")])
        }
        let policy = try PostPolicy(base64: policyText)
        try signatureVerifier.map { verifier in try Self.renderingFailures { try verifier.verifyPostPolicy(signed) } }
        return try policy.check(form, bucket: bucket, now: now)
    }

    /// 204 by default; `success_action_status` 200 or 201 (with S3's PostResponse document);
    /// `success_action_redirect` (or `redirect`) 303 to that URL with the bucket, key and ETag.
    private func postResponse(
        _ form: PostForm, request: S3Request, bucket: String, key: String, etag: String, versionHeaders: HTTPFields
    ) -> Response {
        let quotedETag = "\"\(etag)\""
        let path = "\(request.isVirtualHosted ? "" : "/\(bucket)")/\(PercentEncoding.encodeKey(key))"
        let location = request.host.map { "http://\($0)\(path)" } ?? path
        var headers = versionHeaders
        headers[.eTag] = quotedETag
        headers[.location] = location
        if let redirect = form["success_action_redirect"] ?? form["redirect"], !redirect.isEmpty {
            let separator = redirect.contains("?") ? "&" : "?"
            let query = [("bucket", bucket), ("key", key), ("etag", quotedETag)]
                .map { "\($0)=\(PercentEncoding.encodeKey($1))" }.joined(separator: "&")
            headers[.location] = redirect + separator + query
            return emptyResponse(.seeOther, headers: headers)
        }
        switch form["success_action_status"] {
        case "200":
            return emptyResponse(.ok, headers: headers)
        case "201":
            var xml = XMLWriter()
            xml.openRoot("PostResponse")
            xml.element("Location", location)
            xml.element("Bucket", bucket)
            xml.element("Key", key)
            xml.element("ETag", quotedETag)
            xml.close("PostResponse")
            return xmlResponse(xml, status: .created, headers: headers)
        default:
            return emptyResponse(.noContent, headers: headers)
        }
    }
}

/// The file part of a POST form, buffer by buffer, as an upload body.
private struct FileContent: AsyncSequence {
    typealias Element = ByteBuffer
    let reader: FormDataReader<RequestBody>

    struct AsyncIterator: AsyncIteratorProtocol {
        let reader: FormDataReader<RequestBody>
        mutating func next() async throws -> ByteBuffer? { try await reader.nextChunk() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader) }
}
