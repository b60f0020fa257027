/// A signed request exactly as received: what a SigV4/SigV2 verifier needs.
public struct S3SignedRequest: Sendable {
    public enum Version: Sendable, Equatable {
        /// `Authorization: AWS4-HMAC-SHA256 …`, or `X-Amz-Algorithm=AWS4-HMAC-SHA256` …
        /// `X-Amz-Signature` in the query.
        case v4
        /// `AWSAccessKeyId`, `Signature`, `Expires` (legacy S3 query auth).
        case v2
    }

    public var version: Version
    public var method: String
    /// Percent-encoded path as sent.
    public var rawPath: String
    /// The path-style resource (`/bucket/key`, percent-encoded), which SigV2 signs even for
    /// virtual-hosted requests; equal to `rawPath` for path-style ones.
    public var resourcePath: String
    /// Query string as sent, without `?`.
    public var rawQuery: String
    /// Header fields including `host` (HTTP/1 `Host` travels as the request's authority).
    public var headers: [(name: String, value: String)]

    public init(
        version: Version, method: String, rawPath: String, resourcePath: String? = nil, rawQuery: String,
        headers: [(name: String, value: String)]
    ) {
        self.version = version
        self.method = method
        self.rawPath = rawPath
        self.resourcePath = resourcePath ?? rawPath
        self.rawQuery = rawQuery
        self.headers = headers
    }
}
