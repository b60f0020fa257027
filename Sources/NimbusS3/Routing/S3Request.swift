import HTTPTypes
import Hummingbird

/// A request as S3 sees it: which bucket and key it addresses (path-style or virtual-hosted),
/// its decoded query, headers and body.
struct S3Request: Sendable {
    let method: HTTPRequest.Method
    let headers: HTTPFields
    let host: String?
    /// Percent-encoded path as sent.
    let rawPath: String
    /// Query as sent, without `?`.
    let rawQuery: String
    let query: QueryParameters
    let bucket: String?
    /// Decoded key; `nil` for bucket- and service-level requests.
    let rawKey: String?
    /// The bucket came from the Host header rather than the path.
    let isVirtualHosted: Bool
    let body: RequestBody
    let requestID: String

    init(_ request: Request, virtualHostSuffixes: [String], requestID: String) throws(S3Error) {
        self.method = request.method
        self.headers = request.headers
        // HTTP/1 `Host` arrives as the authority; an explicit field (HTTP/2, tests) wins.
        self.host = request.headers[Self.hostField] ?? request.head.authority
        self.body = request.body
        self.requestID = requestID
        let target = request.head.path ?? "/"
        let split = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.rawPath = split.isEmpty || split[0].isEmpty ? "/" : String(split[0])
        self.rawQuery = split.count > 1 ? String(split[1]) : ""
        self.query = try QueryParameters(raw: rawQuery)

        // Path is decoded as a whole, so `%2F` in a key is simply `/`, as in S3.
        var path = Substring(rawPath)
        if path.hasPrefix("/") { path = path.dropFirst() }
        let virtualBucket = Self.virtualHostBucket(host: host, suffixes: virtualHostSuffixes)
        self.isVirtualHosted = virtualBucket != nil
        if let bucket = virtualBucket {
            self.bucket = bucket
            self.rawKey = try Self.decode(path)
        } else if path.isEmpty {
            self.bucket = nil
            self.rawKey = nil
        } else if let slash = path.firstIndex(of: "/") {
            self.bucket = try Self.decode(path[..<slash]) ?? ""
            self.rawKey = try Self.decode(path[path.index(after: slash)...])
        } else {
            self.bucket = try Self.decode(path)
            self.rawKey = nil
        }
    }

    private static let hostField = HTTPField.Name("Host")!

    /// The validated key of an object-level request.
    func key() throws(S3Error) -> ObjectKey {
        try ObjectKey(validating: rawKey ?? "")
    }

    func header(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        return headers[field]
    }

    var isHead: Bool { method == .head }

    /// `bucket.<suffix>[:port]` → `bucket`, for each configured suffix.
    static func virtualHostBucket(host: String?, suffixes: [String]) -> String? {
        guard var host = host?.lowercased() else { return nil }
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = String(host[..<colon]) }
        for suffix in suffixes {
            let suffix = suffix.lowercased()
            if host.hasSuffix("." + suffix) {
                let bucket = String(host.dropLast(suffix.count + 1))
                if !bucket.isEmpty { return bucket }
            }
        }
        return nil
    }

    /// Decodes a path piece; empty → `nil`; bad escapes or non-UTF-8 → InvalidURI.
    private static func decode(_ text: Substring) throws(S3Error) -> String? {
        guard !text.isEmpty else { return nil }
        guard let decoded = PercentEncoding.decodeString(text) else { throw S3Error.invalidURI }
        return decoded
    }
}
