import Hummingbird

/// The standard representation headers S3 stores with an object and returns on GET/HEAD.
struct ContentHeaders: Sendable, Equatable {
    var contentType: String?
    var contentEncoding: String?
    var contentDisposition: String?
    var cacheControl: String?
    var contentLanguage: String?
    var expires: String?

    static let fields: [(HTTPField.Name, WritableKeyPath<ContentHeaders, String?>)] = [
        (.contentType, \.contentType),
        (.contentEncoding, \.contentEncoding),
        (.contentDisposition, \.contentDisposition),
        (.cacheControl, \.cacheControl),
        (.contentLanguage, \.contentLanguage),
        (HTTPField.Name("Expires")!, \.expires),
    ]

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
        self.init()
        for (name, path) in Self.fields {
            self[keyPath: path] = headers[name]
        }
        if let encoding = contentEncoding {
            let kept = encoding.split(separator: ",").map { $0.trimmingXMLWhitespace() }.filter {
                $0.lowercased() != "aws-chunked" && !$0.isEmpty
            }
            contentEncoding = kept.isEmpty ? nil : kept.joined(separator: ",")
        }
    }

    func apply(to headers: inout HTTPFields) {
        for (name, path) in Self.fields {
            if let value = self[keyPath: path] { headers[name] = value }
        }
    }
}
