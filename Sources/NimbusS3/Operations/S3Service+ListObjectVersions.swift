import Hummingbird

extension S3Service {
    /// ListObjectVersions: versions and delete markers, keys in UTF-8 binary order and each key's
    /// versions newest first. In a bucket that was never versioned, every object is its own only
    /// version, `null`, as S3 reports them; version-aware tools (`bucket.object_versions.delete()`,
    /// `list-object-versions`) then work on any bucket.
    func listObjectVersions(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        let query = request.query
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = query["key-marker"].flatMap { $0.isEmpty ? nil : $0 }
        let versionIDMarker = query["version-id-marker"].flatMap { $0.isEmpty ? nil : $0 }
        if let versionIDMarker {
            guard keyMarker != nil else {
                throw S3Error.invalidArgument(
                    "A version-id marker cannot be specified without a key marker.", name: "version-id-marker",
                    value: versionIDMarker)
            }
            _ = try VersionID.parse(versionIDMarker)
        }
        let maxKeys = min(try query.integer("max-keys", in: 0...Int.max) ?? 1000, 1000)
        let encodeURL = query["encoding-type"] == "url"
        let encode: (String) -> String = { encodeURL ? PercentEncoding.encodeKey($0) : $0 }
        let page = bucket.listVersions(
            prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, versionIDMarker: versionIDMarker,
            maxKeys: maxKeys)

        var xml = XMLWriter()
        xml.openRoot("ListVersionsResult")
        xml.element("Name", bucket.name)
        xml.element("Prefix", encode(prefix))
        xml.element("KeyMarker", encode(keyMarker ?? ""))
        xml.element("VersionIdMarker", versionIDMarker ?? "")
        if page.isTruncated, let next = page.nextKeyMarker { xml.element("NextKeyMarker", encode(next)) }
        if page.isTruncated, let next = page.nextVersionIDMarker { xml.element("NextVersionIdMarker", next) }
        xml.element("MaxKeys", maxKeys)
        if let delimiter { xml.element("Delimiter", encode(delimiter)) }
        if encodeURL { xml.element("EncodingType", "url") }
        xml.element("IsTruncated", page.isTruncated)
        for entry in page.entries {
            let version = entry.version
            xml.open(version.isDeleteMarker ? "DeleteMarker" : "Version")
            xml.element("Key", encode(entry.key.string))
            xml.element("VersionId", version.versionID ?? VersionID.null)
            xml.element("IsLatest", entry.isLatest)
            xml.element("LastModified", HTTPDate.iso8601(version.lastModified))
            if version.isDeleteMarker {
                ownerXML(&xml)
                xml.close("DeleteMarker")
                continue
            }
            xml.element("ETag", "\"\(version.etag)\"")
            xml.element("Size", version.size)
            ownerXML(&xml)
            xml.element("StorageClass", version.storageClass.rawValue)
            xml.close("Version")
        }
        for commonPrefix in page.commonPrefixes {
            xml.block("CommonPrefixes") { $0.element("Prefix", encode(commonPrefix)) }
        }
        xml.close("ListVersionsResult")
        return xmlResponse(xml)
    }
}
