import Crypto
import HTTPTypes
import Hummingbird

extension S3Service {
    /// CopyObject: `x-amz-copy-source` (URL-encoded, with `x-amz-copy-source-if-*` conditions),
    /// `x-amz-metadata-directive` and `x-amz-tagging-directive`, each COPY (default) or REPLACE.
    /// The storage class and encryption are the request's (else STANDARD and the bucket's
    /// default), never the source's, as in S3.
    func copyObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let (sourceBucket, sourceKey, source, sourceHeaders) = try openCopySource(request)
        let directive = try Self.directive(request, "x-amz-metadata-directive", message: "Unknown metadata directive.")
        let tagging = try Self.directive(request, "x-amz-tagging-directive", message: "Unknown tagging directive.")
        let changesStorage =
            request.header(StorageClass.headerName) != nil || request.header(ServerSideEncryption.algorithmHeader) != nil
        // Copying an older version over its key is how S3 restores it; only the current one is itself.
        let isSelf =
            sourceBucket.name == bucket.name && sourceKey == key
            && source.metadata.versionID == bucket.latestVersion(of: key)?.versionID
        if isSelf && directive == "COPY" && !changesStorage {
            throw S3Error.invalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
            )
        }
        let content = directive == "REPLACE" ? ContentHeaders(request: request.headers) : source.metadata.content
        let userMetadata =
            directive == "REPLACE" ? try ObjectHeaders.userMetadata(request.headers) : source.metadata.userMetadata
        var requested = try ObjectSettings(request: request, bucket: bucket)
        if tagging == "COPY" { requested.tags = source.metadata.settings.tags }
        let settings = requested
        let condition = writeCondition(request)
        let now = self.now
        let version = bucket.newVersion(now: now)
        let metadata = try await BlockingIO.run { () throws -> ObjectMetadata in
            let writer = try bucket.writer(for: .object(key, condition: condition))
            var md5 = Insecure.MD5()
            do {
                try writer.append(from: source.reader, range: 0..<source.metadata.size) { md5.update(bufferPointer: $0) }
            } catch {
                writer.discard()
                throw error
            }
            let singlePart = source.metadata.partSizes.isEmpty
            let metadata = ObjectMetadata(
                key: key.string, size: source.metadata.size, lastModified: now, etag: Hex.encode(md5.finalize()),
                content: content, userMetadata: userMetadata,
                checksums: singlePart ? source.metadata.checksums : [:], settings: settings, versionID: version.id,
                versionStamp: version.stamp)
            try writer.finish(metadata)
            return metadata
        }
        var xml = XMLWriter()
        xml.openRoot("CopyObjectResult")
        xml.element("LastModified", HTTPDate.iso8601(metadata.lastModified))
        xml.element("ETag", "\"\(metadata.etag)\"")
        for (algorithm, value) in metadata.checksums.sorted(by: { $0.key < $1.key }) {
            if let parsed = ChecksumAlgorithm(rawValue: algorithm) { xml.element(parsed.xmlName, value) }
        }
        xml.close("CopyObjectResult")
        var headers = sourceHeaders
        headers.append(contentsOf: Self.versionHeaders(version.id, bucket: bucket))
        settings.encryption.apply(to: &headers)
        return xmlResponse(xml, headers: headers)
    }

    /// A `COPY | REPLACE` directive header, COPY when absent; InvalidArgument otherwise.
    private static func directive(_ request: S3Request, _ name: String, message: String) throws(S3Error) -> String {
        let value = (request.header(name) ?? "COPY").uppercased()
        guard value == "COPY" || value == "REPLACE" else { throw S3Error.invalidArgument(message, name: name, value: value) }
        return value
    }

    /// Resolves and opens `x-amz-copy-source` (its current version, or the one it names),
    /// applying the copy-source conditions (all of which fail with 412, never 304). Also gives
    /// the `x-amz-copy-source-version-id` header the answer carries.
    func openCopySource(_ request: S3Request) throws -> (any BucketStore, ObjectKey, StoredObject, HTTPFields) {
        let source = try CopySource(header: request.header("x-amz-copy-source") ?? "")
        let bucket = try store.bucket(source.bucket)
        let key = try ObjectKey(validating: source.key)
        let opened: StoredObject
        do {
            opened = try openRequested(key, version: source.versionID, in: bucket, method: "GET", prefetch: 0)
        } catch let error as S3Error where error.code == "MethodNotAllowed" {
            throw S3Error.invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.")
        } catch var error as S3Error {
            error.headers = [:]
            throw error
        }
        var headers = HTTPFields()
        if bucket.versioning != nil || source.versionID != nil {
            headers[HTTPField.Name("x-amz-copy-source-version-id")!] = opened.metadata.versionID ?? VersionID.null
        }
        let conditions = Preconditions.Conditions.copySource(request.headers)
        if !conditions.isEmpty {
            switch Preconditions.evaluate(conditions, etag: opened.metadata.etag, lastModified: opened.metadata.lastModified) {
            case .proceed: break
            case .failed(let condition): throw S3Error.preconditionFailed(condition)
            case .notModified:
                throw S3Error.preconditionFailed(
                    conditions.ifNoneMatch != nil ? conditions.names.ifNoneMatch : conditions.names.ifModifiedSince)
            }
        }
        return (bucket, key, opened, headers)
    }
}
