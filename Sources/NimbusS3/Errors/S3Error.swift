import Hummingbird

/// An S3 failure as AWS reports it: one of AWS's codes, a message, and the extra elements some
/// codes carry (`<Key>`, `<BucketName>`, `<Condition>` …), in the order they are rendered.
///
/// The HTTP status is not stored: it is derived from the code in one table (`S3Error+Status`).
struct S3Error: Error, Sendable {
    var code: String
    var message: String
    var details: [(name: String, value: String)]
    /// Extra response headers (e.g. `ETag` and `Last-Modified` on 304 Not Modified).
    var headers: HTTPFields
    /// What went wrong underneath, for logs; never rendered.
    var underlying: (any Error)?

    init(
        _ code: String, _ message: String, details: [(name: String, value: String)] = [],
        headers: HTTPFields = [:], underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
        self.underlying = underlying
    }
}

extension S3Error: CustomStringConvertible {
    var description: String {
        if let underlying { return "\(code): \(message) (\(underlying))" }
        return "\(code): \(message)"
    }
}
