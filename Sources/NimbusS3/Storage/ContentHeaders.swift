import HTTPTypes
import Hummingbird

/// The standard representation headers S3 stores with an object and returns on GET/HEAD.
struct ContentHeaders: Sendable, Equatable {
    var contentType: String?
    var contentEncoding: String?
    var contentDisposition: String?
    var cacheControl: String?
    var contentLanguage: String?
    var expires: String?

    static let expiresField = HTTPField.Name("Expires")!

    init(
        contentType: String? = nil, contentEncoding: String? = nil, contentDisposition: String? = nil,
        cacheControl: String? = nil, contentLanguage: String? = nil, expires: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.contentDisposition = contentDisposition
        self.cacheControl = cacheControl
        self.contentLanguage = contentLanguage
        self.expires = expires
    }

    /// Reads the headers of a PUT / CreateMultipartUpload / CopyObject(REPLACE).
    /// `aws-chunked` is a transfer detail, not the object's encoding, so it is dropped.
    init(request headers: HTTPFields) {
        self.init(
            contentType: headers[.contentType], contentEncoding: headers[.contentEncoding],
            contentDisposition: headers[.contentDisposition], cacheControl: headers[.cacheControl],
            contentLanguage: headers[.contentLanguage], expires: headers[Self.expiresField])
        if let encoding = contentEncoding {
            let kept = encoding.split(separator: ",").map { $0.trimmingXMLWhitespace() }.filter {
                $0.lowercased() != "aws-chunked" && !$0.isEmpty
            }
            contentEncoding = kept.isEmpty ? nil : kept.joined(separator: ",")
        }
    }

    func apply(to headers: inout HTTPFields) {
        if let contentType { headers[.contentType] = contentType }
        if let contentEncoding { headers[.contentEncoding] = contentEncoding }
        if let contentDisposition { headers[.contentDisposition] = contentDisposition }
        if let cacheControl { headers[.cacheControl] = cacheControl }
        if let contentLanguage { headers[.contentLanguage] = contentLanguage }
        if let expires { headers[Self.expiresField] = expires }
    }
}
