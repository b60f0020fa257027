import HTTPTypes
import Hummingbird

extension S3Service {
    /// What `x-amz-object-attributes` may ask for.
    static let objectAttributes: Set<String> = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]

    /// GetObjectAttributes (`GET /key?attributes`): the attributes `x-amz-object-attributes` names,
    /// of the current version or the one `versionId` names. The ETag comes without quotes, as S3
    /// sends it here. `ObjectParts` is given for multipart objects: the part count, paged by
    /// `x-amz-max-parts` and `x-amz-part-number-marker`; Nimbus keeps no per-part checksums, so no
    /// `Part` entries (S3 lists them only for parts uploaded with a checksum).
    func getObjectAttributes(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let requested = (request.header("x-amz-object-attributes") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !requested.isEmpty else {
            throw S3Error.invalidRequest(
                "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty")
        }
        if let unknown = requested.first(where: { !Self.objectAttributes.contains($0) }) {
            throw S3Error.invalidArgument("Invalid attribute name specified.", name: "x-amz-object-attributes", value: unknown)
        }
        let maxParts = try Self.headerInteger(request, "x-amz-max-parts") ?? 1000
        let partMarker = try Self.headerInteger(request, "x-amz-part-number-marker") ?? 0
        let version = try requestedVersion(request)
        let metadata = try openRequested(key, version: version, in: bucket, method: "GET", prefetch: 0).metadata
        let wanted = Set(requested)

        var xml = XMLWriter()
        xml.openRoot("GetObjectAttributesResponse")
        if wanted.contains("ETag") { xml.element("ETag", metadata.etag) }
        let checksums = metadata.checksums.compactMap { name, value in
            ChecksumAlgorithm(rawValue: name).map { ($0, value) }
        }.sorted { $0.0.xmlName < $1.0.xmlName }
        if wanted.contains("Checksum"), !checksums.isEmpty {
            xml.block("Checksum") { xml in
                for (algorithm, value) in checksums { xml.element(algorithm.xmlName, value) }
                xml.element("ChecksumType", checksums[0].1.contains("-") ? "COMPOSITE" : "FULL_OBJECT")
            }
        }
        if wanted.contains("ObjectParts"), !metadata.partSizes.isEmpty {
            let count = metadata.partSizes.count
            let shown = min(max(count - partMarker, 0), maxParts)
            xml.block("ObjectParts") { xml in
                xml.element("PartsCount", count)
                xml.element("PartNumberMarker", partMarker)
                if shown > 0 { xml.element("NextPartNumberMarker", partMarker + shown) }
                xml.element("MaxParts", maxParts)
                xml.element("IsTruncated", partMarker + shown < count)
            }
        }
        if wanted.contains("StorageClass") { xml.element("StorageClass", metadata.settings.storageClass.rawValue) }
        if wanted.contains("ObjectSize") { xml.element("ObjectSize", metadata.size) }
        xml.close("GetObjectAttributesResponse")

        var headers = Self.versionHeaders(metadata.versionID, bucket: bucket, named: version != nil)
        headers[.lastModified] = HTTPDate.rfc1123(metadata.lastModified)
        return xmlResponse(xml, headers: headers)
    }

    /// A non-negative integer request header; InvalidArgument when it is not one.
    private static func headerInteger(_ request: S3Request, _ name: String) throws(S3Error) -> Int? {
        guard let text = request.header(name) else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw S3Error.invalidArgument("\(name) must be a non-negative integer", name: name, value: text)
        }
        return value
    }
}
