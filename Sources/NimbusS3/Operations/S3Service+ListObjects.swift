import Foundation
import Hummingbird

extension S3Service {
    /// ListObjectsV2 (`list-type=2`) and ListObjects (V1): prefix, delimiter, max-keys,
    /// continuation-token / marker / start-after, fetch-owner, encoding-type=url.
    func listObjects(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        let query = request.query
        let isV2 = query["list-type"] == "2"
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        let maxKeys = min(try query.integer("max-keys", in: 0...Int.max, message: "Provided max-keys not an integer or within integer range") ?? 1000, 1000)
        let encodeURL: Bool
        switch query["encoding-type"] {
        case nil: encodeURL = false
        case "url": encodeURL = true
        case let other?:
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: other)
        }
        let encode: (String) -> String = { encodeURL ? PercentEncoding.encodeKey($0) : $0 }

        let continuationToken = isV2 ? query["continuation-token"] : nil
        let startAfter = isV2 ? query["start-after"] : nil
        let marker = isV2 ? nil : query["marker"]
        var resumeAfter: String?
        if let continuationToken {
            guard let data = Data(base64Encoded: continuationToken), let decoded = String(data: data, encoding: .utf8) else {
                throw S3Error.invalidArgument(
                    "The continuation token provided is incorrect", name: "continuation-token", value: continuationToken)
            }
            resumeAfter = decoded
        } else {
            resumeAfter = startAfter ?? marker
        }
        let page = bucket.list(prefix: prefix, delimiter: delimiter, startAfter: resumeAfter, maxKeys: maxKeys)
        let includeOwner = isV2 ? query["fetch-owner"] == "true" : true

        var xml = XMLWriter()
        xml.openRoot("ListBucketResult")
        xml.element("Name", bucket.name)
        xml.element("Prefix", encode(prefix))
        if isV2 {
            if let continuationToken { xml.element("ContinuationToken", continuationToken) }
            if let startAfter { xml.element("StartAfter", encode(startAfter)) }
            xml.element("KeyCount", page.objects.count + page.commonPrefixes.count)
        } else {
            xml.element("Marker", encode(marker ?? ""))
            if page.isTruncated, delimiter != nil, let last = page.last { xml.element("NextMarker", encode(last)) }
        }
        xml.element("MaxKeys", maxKeys)
        if let delimiter { xml.element("Delimiter", encode(delimiter)) }
        if encodeURL { xml.element("EncodingType", "url") }
        xml.element("IsTruncated", page.isTruncated)
        if isV2, page.isTruncated, let last = page.last {
            xml.element("NextContinuationToken", Data(last.utf8).base64EncodedString())
        }
        for (key, summary) in page.objects {
            xml.open("Contents")
            xml.element("Key", encode(key.string))
            xml.element("LastModified", HTTPDate.iso8601(summary.lastModified))
            xml.element("ETag", "\"\(summary.etag)\"")
            xml.element("Size", summary.size)
            if includeOwner { ownerXML(&xml) }
            xml.element("StorageClass", summary.storageClass.rawValue)
            xml.close("Contents")
        }
        for commonPrefix in page.commonPrefixes {
            xml.block("CommonPrefixes") { $0.element("Prefix", encode(commonPrefix)) }
        }
        xml.close("ListBucketResult")
        return xmlResponse(xml)
    }
}
