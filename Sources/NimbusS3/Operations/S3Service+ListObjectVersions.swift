import Hummingbird

extension S3Service {
    /// ListObjectVersions for an unversioned bucket: every object is its own only version, with
    /// version ID `null`, as S3 reports objects written while versioning was never enabled. Lets
    /// version-aware tools (`bucket.object_versions.delete()`, `list-object-versions`) work.
    func listObjectVersions(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        let query = request.query
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = query["key-marker"].flatMap { $0.isEmpty ? nil : $0 }
        let maxKeys = min(try query.integer("max-keys", in: 0...Int.max) ?? 1000, 1000)
        let encodeURL = query["encoding-type"] == "url"
        let encode: (String) -> String = { encodeURL ? PercentEncoding.encodeKey($0) : $0 }
        let page = bucket.list(prefix: prefix, delimiter: delimiter, startAfter: keyMarker, maxKeys: maxKeys)

        var xml = XMLWriter()
        xml.openRoot("ListVersionsResult")
        xml.element("Name", bucket.name)
        xml.element("Prefix", encode(prefix))
        xml.element("KeyMarker", encode(keyMarker ?? ""))
        xml.element("VersionIdMarker", query["version-id-marker"] ?? "")
        if page.isTruncated, let last = page.last {
            xml.element("NextKeyMarker", encode(last))
            xml.element("NextVersionIdMarker", "null")
        }
        xml.element("MaxKeys", maxKeys)
        if let delimiter { xml.element("Delimiter", encode(delimiter)) }
        if encodeURL { xml.element("EncodingType", "url") }
        xml.element("IsTruncated", page.isTruncated)
        for (key, summary) in page.objects {
            xml.open("Version")
            xml.element("Key", encode(key.string))
            xml.element("VersionId", "null")
            xml.element("IsLatest", true)
            xml.element("LastModified", HTTPDate.iso8601(summary.lastModified))
            xml.element("ETag", "\"\(summary.etag)\"")
            xml.element("Size", summary.size)
            ownerXML(&xml)
            xml.element("StorageClass", summary.storageClass.rawValue)
            xml.close("Version")
        }
        for commonPrefix in page.commonPrefixes {
            xml.block("CommonPrefixes") { $0.element("Prefix", encode(commonPrefix)) }
        }
        xml.close("ListVersionsResult")
        return xmlResponse(xml)
    }
}
