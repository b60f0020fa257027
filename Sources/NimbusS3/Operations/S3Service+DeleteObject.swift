import Hummingbird

extension S3Service {
    /// DeleteObject: 204 whether or not the key existed, as S3 answers. In a versioned bucket it adds
    /// a delete marker; with `versionId`, it deletes that version for good.
    func deleteObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let version = try requestedVersion(request)
        let now = self.now
        let deletion = try await storageWork { () throws -> VersionDeletion? in
            if let version { return try bucket.deleteVersion(key, id: version) }
            return try bucket.delete([(key, nil)], now: now)[0]
        }
        var headers = HTTPFields()
        if let version {
            headers[Self.versionIDHeader] = version ?? VersionID.null
        } else if bucket.versioning != nil, let deletion {
            headers[Self.versionIDHeader] = deletion.versionID ?? VersionID.null
        }
        if deletion?.isDeleteMarker == true { headers[Self.deleteMarkerHeader] = "true" }
        return emptyResponse(.noContent, headers: headers)
    }

    /// DeleteObjects: up to 1000 keys per request, each with an optional `VersionId`; `Quiet`
    /// reports only failures.
    func deleteObjects(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let document = try await parseXMLBody(request)
        guard document.name == "Delete" else { throw S3Error.malformedXML }
        let objects = document.children("Object")
        guard !objects.isEmpty, objects.count <= 1000 else { throw S3Error.malformedXML }
        let quiet = document.value("Quiet")?.lowercased() == "true"

        struct Target {
            var text: String
            var key: ObjectKey
            var version: String??
        }
        var targets: [Target] = []
        var errors: [(key: String, error: S3Error)] = []
        for object in objects {
            guard let keyText = object.child("Key")?.text else { throw S3Error.malformedXML }
            do {
                let version = try object.value("VersionId").map { text throws(S3Error) in try VersionID.parse(text) }
                targets.append(Target(text: keyText, key: try ObjectKey(validating: keyText), version: version))
            } catch {
                errors.append((keyText, error))
            }
        }
        let now = self.now
        // Keys without a version go in one batch (one journal flush); named versions one by one.
        let deletions = try await storageWork { [targets] () throws -> [VersionDeletion?] in
            let plain = targets.filter { $0.version == nil }
            var batch = try bucket.delete(plain.map { ($0.key, nil) }, now: now).makeIterator()
            return try targets.map { target throws -> VersionDeletion? in
                guard let version = target.version else { return batch.next()! }
                return try bucket.deleteVersion(target.key, id: version)
            }
        }

        var xml = XMLWriter()
        xml.openRoot("DeleteResult")
        if !quiet {
            for (target, deletion) in zip(targets, deletions) {
                xml.block("Deleted") { xml in
                    xml.element("Key", target.text)
                    if let version = target.version { xml.element("VersionId", version ?? VersionID.null) }
                    if let deletion, deletion.isDeleteMarker {
                        xml.element("DeleteMarker", true)
                        xml.element("DeleteMarkerVersionId", deletion.versionID ?? VersionID.null)
                    }
                }
            }
        }
        for (key, error) in errors {
            xml.block("Error") { xml in
                xml.element("Key", key)
                xml.element("Code", error.code)
                xml.element("Message", error.message)
            }
        }
        xml.close("DeleteResult")
        return xmlResponse(xml)
    }
}
