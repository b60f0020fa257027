import Crypto
import HTTPTypes
import Hummingbird

/// CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
/// AbortMultipartUpload.
extension S3Service {
    func createMultipartUpload(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        var algorithm: ChecksumAlgorithm?
        if let named = request.header("x-amz-checksum-algorithm") {
            guard let parsed = ChecksumAlgorithm(name: named) else {
                throw S3Error.invalidRequest("Checksum algorithm provided is unsupported.")
            }
            algorithm = parsed
        }
        let checksumType = request.header("x-amz-checksum-type")?.uppercased()
        guard checksumType == nil || checksumType == "COMPOSITE" || checksumType == "FULL_OBJECT" else {
            throw S3Error.invalidRequest("Value for x-amz-checksum-type header is invalid.")
        }
        let upload = MultipartUpload(
            id: MultipartUpload.newID(), key: key.string, initiated: now,
            content: ContentHeaders(request: request.headers),
            userMetadata: try ObjectHeaders.userMetadata(request.headers), checksumAlgorithm: algorithm,
            fullObjectChecksum: checksumType == "FULL_OBJECT" || algorithm == .crc64nvme,
            settings: try ObjectSettings(request: request, bucket: bucket))
        try await storageWork { try bucket.createUpload(upload) }

        var headers = HTTPFields()
        upload.settings.encryption.apply(to: &headers)
        if let algorithm {
            headers[HTTPField.Name("x-amz-checksum-algorithm")!] = algorithm.rawValue.uppercased()
            headers[HTTPField.Name("x-amz-checksum-type")!] = upload.fullObjectChecksum ? "FULL_OBJECT" : "COMPOSITE"
        }
        var xml = XMLWriter()
        xml.openRoot("InitiateMultipartUploadResult")
        xml.element("Bucket", bucket.name)
        xml.element("Key", key.string)
        xml.element("UploadId", upload.id)
        xml.close("InitiateMultipartUploadResult")
        return xmlResponse(xml, headers: headers)
    }

    func uploadPart(_ request: S3Request, bucket name: String, uploadID: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let partNumber = try self.partNumber(request)
        let upload = try uploadFor(bucket, uploadID: uploadID, key: key)
        let received = try await BodyReceiver.receive(
            request, into: bucket, as: .part(uploadID: uploadID, number: partNumber),
            maximumSize: configuration.maximumObjectSize, defaultChecksum: upload.checksumAlgorithm,
            chunkSignatures: try chunkVerifier(for: request))
        let metadata = ObjectMetadata(
            key: upload.key, size: received.size, lastModified: now, etag: received.etag,
            checksums: received.checksums)
        try await storageWork { try received.writer.finish(metadata) }
        var headers: HTTPFields = [.eTag: "\"\(metadata.etag)\""]
        ObjectHeaders.checksumHeaders(metadata, into: &headers)
        headers[HTTPField.Name("x-amz-checksum-type")!] = nil
        upload.settings.encryption.apply(to: &headers)
        return emptyResponse(headers: headers)
    }

    func uploadPartCopy(_ request: S3Request, bucket name: String, uploadID: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let partNumber = try self.partNumber(request)
        let upload = try uploadFor(bucket, uploadID: uploadID, key: key)
        let (_, _, source, sourceHeaders) = try openCopySource(request)
        var range: Range<Int64> = 0..<source.metadata.size
        if let header = request.header("x-amz-copy-source-range") {
            let closed = try ByteRange.parseCopySourceRange(header, size: source.metadata.size)
            range = closed.lowerBound..<(closed.upperBound + 1)
        }
        let now = self.now
        let metadata = try await BlockingIO.run { [range] () throws -> ObjectMetadata in
            let writer = try bucket.writer(for: .part(uploadID: uploadID, number: partNumber))
            var md5 = Insecure.MD5()
            var checksum = upload.checksumAlgorithm.map(ChecksumHasher.init)
            do {
                try writer.append(from: source.reader, range: range) { bytes in
                    md5.update(bufferPointer: bytes)
                    checksum?.update(bytes)
                }
            } catch {
                writer.discard()
                throw error
            }
            var checksums: [String: String] = [:]
            if let checksum { checksums[checksum.algorithm.rawValue] = checksum.value() }
            let metadata = ObjectMetadata(
                key: upload.key, size: Int64(range.count), lastModified: now, etag: Hex.encode(md5.finalize()),
                checksums: checksums)
            try writer.finish(metadata)
            return metadata
        }
        var xml = XMLWriter()
        xml.openRoot("CopyPartResult")
        xml.element("LastModified", HTTPDate.iso8601(metadata.lastModified))
        xml.element("ETag", "\"\(metadata.etag)\"")
        for (algorithm, value) in metadata.checksums {
            if let parsed = ChecksumAlgorithm(rawValue: algorithm) { xml.element(parsed.xmlName, value) }
        }
        xml.close("CopyPartResult")
        var headers = sourceHeaders
        upload.settings.encryption.apply(to: &headers)
        return xmlResponse(xml, headers: headers)
    }

    /// Validates the part list, concatenates the parts into one object (streamed, in bounded
    /// chunks), publishes it atomically and removes the upload.
    func completeMultipartUpload(_ request: S3Request, bucket name: String, uploadID: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let upload = try uploadFor(bucket, uploadID: uploadID, key: key)
        let completion = try CompleteMultipartRequest(try await parseXMLBody(request))
        let minimumPartSize = configuration.minimumPartSize
        let condition = writeCondition(request)
        let now = self.now
        let metadata = try await BlockingIO.run { () throws -> ObjectMetadata in
            let parts = try completion.validate(
                against: try bucket.parts(uploadID: uploadID), minimumPartSize: minimumPartSize)
            var checksums: [String: String] = [:]
            var fullChecksum = upload.fullObjectChecksum ? upload.checksumAlgorithm.map(ChecksumHasher.init) : nil
            if let algorithm = upload.checksumAlgorithm, !upload.fullObjectChecksum {
                let values = parts.compactMap { $0.checksums[algorithm.rawValue] }
                if values.count == parts.count,
                    let composite = ChecksumHasher.composite(algorithm, partValues: values)
                {
                    checksums[algorithm.rawValue] = composite
                }
            }
            let writer = try bucket.writer(for: .object(key, condition: condition))
            do {
                for (part, stored) in zip(completion.parts, parts) {
                    guard let opened = try bucket.part(uploadID: uploadID, number: part.number) else {
                        throw S3Error.invalidPart(part.number, etag: "\"\(part.etag)\"")
                    }
                    try writer.append(from: opened.reader, range: 0..<stored.size) { fullChecksum?.update($0) }
                }
            } catch {
                writer.discard()
                throw error
            }
            if let fullChecksum { checksums[fullChecksum.algorithm.rawValue] = fullChecksum.value() }
            let version = bucket.newVersion(now: now)
            let metadata = ObjectMetadata(
                key: upload.key, size: parts.reduce(0) { $0 + $1.size }, lastModified: now,
                etag: CompleteMultipartRequest.multipartETag(parts.map(\.etag)), content: upload.content,
                userMetadata: upload.userMetadata, checksums: checksums, partSizes: parts.map(\.size),
                settings: upload.settings, versionID: version.id, versionStamp: version.stamp)
            try writer.finish(metadata)
            try? bucket.removeUpload(uploadID)
            return metadata
        }
        var xml = XMLWriter()
        xml.openRoot("CompleteMultipartUploadResult")
        xml.element("Location", "/\(bucket.name)/\(PercentEncoding.encodeKey(key.string))")
        xml.element("Bucket", bucket.name)
        xml.element("Key", key.string)
        xml.element("ETag", "\"\(metadata.etag)\"")
        for (algorithm, value) in metadata.checksums {
            if let parsed = ChecksumAlgorithm(rawValue: algorithm) { xml.element(parsed.xmlName, value) }
        }
        if upload.checksumAlgorithm != nil {
            xml.element("ChecksumType", upload.fullObjectChecksum ? "FULL_OBJECT" : "COMPOSITE")
        }
        xml.close("CompleteMultipartUploadResult")
        var headers = Self.versionHeaders(metadata.versionID, bucket: bucket)
        upload.settings.encryption.apply(to: &headers)
        return xmlResponse(xml, headers: headers)
    }

    func abortMultipartUpload(_ request: S3Request, bucket name: String, uploadID: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        _ = try uploadFor(bucket, uploadID: uploadID, key: key)
        try await storageWork { try bucket.removeUpload(uploadID) }
        return emptyResponse(.noContent)
    }

    /// The upload `uploadID`, which must belong to `key` (NoSuchUpload otherwise, as in S3).
    func uploadFor(_ bucket: any BucketStore, uploadID: String, key: ObjectKey) throws -> MultipartUpload {
        let upload = try bucket.upload(uploadID)
        guard ObjectKey(trusted: upload.key) == key else { throw S3Error.noSuchUpload(uploadID) }
        return upload
    }

    private func partNumber(_ request: S3Request) throws -> Int {
        let message = "Part number must be an integer between 1 and 10000, inclusive"
        guard let number = try request.query.integer("partNumber", in: 1...10_000, message: message) else {
            throw S3Error.invalidArgument(message, name: "partNumber")
        }
        return number
    }
}
