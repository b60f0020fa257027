/// The canonical-request text SigV4 hashes, built from a request as received.
///
/// Clients sign what they send, and servers re-derive it; the two agree for every client that
/// encodes canonically (all AWS SDKs). Where a client sends a non-canonical encoding (`%7e`, an
/// unescaped `'`), "as sent" and "re-encoded" differ, so the verifier tries both: either way the
/// signature still covers the exact resource requested.
struct CanonicalRequest {
    var method: String
    var uri: String
    var query: String
    var signedHeaders: [String]
    var canonicalHeaders: String
    var payload: String

    var text: String {
        [method, uri, query, canonicalHeaders, signedHeaders.joined(separator: ";"), payload].joined(separator: "\n")
    }

    /// Candidate canonical requests for `request`, the "as sent" form first (what botocore signs).
    static func candidates(
        for request: SigV4Request, signedHeaders: [String], payload: String, service: String,
        excludingSignature: Bool
    ) -> [CanonicalRequest] {
        let headers = canonicalHeaders(request, signedHeaders: signedHeaders)
        var result: [CanonicalRequest] = []
        for uri in uris(rawPath: request.rawPath, service: service) {
            for query in queries(rawQuery: request.rawQuery, excludingSignature: excludingSignature) {
                result.append(
                    CanonicalRequest(
                        method: request.method.uppercased(), uri: uri, query: query, signedHeaders: signedHeaders,
                        canonicalHeaders: headers, payload: payload))
            }
        }
        return result
    }

    /// S3 signs the path encoded once (as sent); every other service normalises the path (RFC 3986
    /// dot segments, repeated slashes) and encodes it a second time, so `%3A` becomes `%253A`.
    static func uris(rawPath: String, service: String) -> [String] {
        let path = rawPath.isEmpty ? "/" : rawPath
        let reencoded = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.normalize($0) }.joined(separator: "/")
        if service == "s3" {
            return unique([path, reencoded])
        }
        return unique([
            PercentEncoding.encode(removingDotSegments(path), keepingSlash: true),
            PercentEncoding.encode(removingDotSegments(reencoded), keepingSlash: true),
        ])
    }

    /// Parameters sorted by encoded name, then value; a name without `=` gets an empty value.
    static func queries(rawQuery: String, excludingSignature: Bool) -> [String] {
        let pairs = rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: parts[0], value: parts.count > 1 ? parts[1] : "")
        }.filter { !excludingSignature || PercentEncoding.decode($0.name) != Array("X-Amz-Signature".utf8) }
        let asSent = pairs.map { (String($0.name), String($0.value)) }
        let reencoded = pairs.map { (PercentEncoding.normalize($0.name), PercentEncoding.normalize($0.value)) }
        return unique(
            [asSent, reencoded].map { pairs in
                pairs.sorted { lhs, rhs in
                    lhs.0 == rhs.0
                        ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
                        : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
                }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            })
    }

    /// `name:value` lines for each signed header, each line ending in a newline: values trimmed,
    /// inner whitespace runs collapsed to one space, repeated headers joined with `,`.
    static func canonicalHeaders(_ request: SigV4Request, signedHeaders: [String]) -> String {
        signedHeaders.map { name in
            let values = request.values(forHeader: name).map { value in
                value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            }
            return "\(name):\(values.joined(separator: ","))\n"
        }.joined()
    }

    /// RFC 3986 §5.2.4, plus dropping empty segments as AWS services do.
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/") where segment != "." {
            if segment == ".." {
                _ = output.popLast()
            } else {
                output.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return (path.hasPrefix("/") ? "/" : "") + output.joined(separator: "/") + trailing
    }

    private static func unique(_ values: [String]) -> [String] {
        values.enumerated().filter { !values[..<$0.offset].contains($0.element) }.map(\.element)
    }
}
