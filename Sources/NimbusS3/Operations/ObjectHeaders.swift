import HTTPTypes
import Hummingbird

/// Reading and writing the object headers S3 round-trips.
enum ObjectHeaders {
    static let metadataPrefix = "x-amz-meta-"
    /// AWS's limit on user metadata: names and values together.
    static let maximumUserMetadataSize = 2048
    static let defaultContentType = "binary/octet-stream"

    /// `x-amz-meta-*` request headers, names lowercased without the prefix.
    static func userMetadata(_ headers: HTTPFields) throws(S3Error) -> [String: String] {
        var metadata: [String: String] = [:]
        var size = 0
        for field in headers {
            let name = field.name.canonicalName
            guard name.hasPrefix(metadataPrefix) else { continue }
            let short = String(name.dropFirst(metadataPrefix.count))
            size += short.utf8.count + field.value.utf8.count
            // Repeated headers are joined with commas, as HTTP intends.
            metadata[short] = metadata[short].map { $0 + "," + field.value } ?? field.value
        }
        guard size <= maximumUserMetadataSize else { throw S3Error.metadataTooLarge }
        return metadata
    }

    /// The headers describing a stored object on GET/HEAD.
    static func response(for metadata: ObjectMetadata, query: QueryParameters) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(8 + metadata.userMetadata.count)
        headers[.eTag] = "\"\(metadata.etag)\""
        headers[.lastModified] = HTTPDate.rfc1123(metadata.lastModified)
        headers[.acceptRanges] = "bytes"
        var content = metadata.content
        if content.contentType == nil { content.contentType = defaultContentType }
        // Presigned downloads may override representation headers (`response-content-type` …).
        if !query.isEmpty {
            let overrides: [(String, WritableKeyPath<ContentHeaders, String?>)] = [
                ("response-content-type", \.contentType), ("response-content-language", \.contentLanguage),
                ("response-expires", \.expires), ("response-cache-control", \.cacheControl),
                ("response-content-disposition", \.contentDisposition),
                ("response-content-encoding", \.contentEncoding),
            ]
            for (name, path) in overrides {
                if let value = query[name] { content[keyPath: path] = value }
            }
        }
        content.apply(to: &headers)
        metadata.settings.apply(to: &headers)
        for (name, value) in metadata.userMetadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(metadataPrefix + name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return headers
    }

    /// `x-amz-checksum-*` headers of a stored object (full-object reads with checksum mode on).
    static func checksumHeaders(_ metadata: ObjectMetadata, into headers: inout HTTPFields) {
        for (algorithm, value) in metadata.checksums.sorted(by: { $0.key < $1.key }) {
            guard let parsed = ChecksumAlgorithm(rawValue: algorithm), let name = HTTPField.Name(parsed.headerName) else {
                continue
            }
            headers[name] = value
            headers[HTTPField.Name("x-amz-checksum-type")!] = value.contains("-") ? "COMPOSITE" : "FULL_OBJECT"
        }
    }
}
