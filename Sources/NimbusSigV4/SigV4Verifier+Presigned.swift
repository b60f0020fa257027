import Foundation

extension SigV4Verifier {
    /// Reads and checks the `X-Amz-*` parameters of a presigned URL, including its expiry.
    func presigned(_ request: SigV4Request, query: QueryParameters, now: Date) throws(SigV4Error) -> Claim {
        let required = [
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders",
            "X-Amz-Expires",
        ]
        let values = required.map { query.first($0) ?? "" }
        guard !values.contains("") else {
            throw .queryParameters(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        let (algorithm, credential, signature, timestamp, signedHeaders, expires) =
            (values[0], values[1], values[2], values[3], values[4], values[5])
        guard algorithm == SigV4.algorithm else {
            throw .queryParameters(#"X-Amz-Algorithm only supports "AWS4-HMAC-SHA256""#)
        }
        let parsed: (accessKeyID: String, scope: SigV4CredentialScope)
        do {
            parsed = try SigV4CredentialScope.parseCredential(credential)
        } catch {
            throw .queryParameters("Error parsing the X-Amz-Credential parameter; \(error.reason)")
        }
        guard let date = SigV4Timestamp.parse(timestamp) else {
            throw .queryParameters(#"X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'""#)
        }
        guard timestamp.hasPrefix(parsed.scope.date) else {
            throw .queryParameters(SigV4Error.dateMismatch(scope: parsed.scope, timestamp: timestamp))
        }
        guard let lifetime = Int(expires) else { throw .queryParameters("X-Amz-Expires should be a number") }
        guard lifetime >= 0 else { throw .queryParameters("X-Amz-Expires must be non-negative") }
        guard lifetime <= SigV4.maximumPresignExpiry else {
            throw .queryParameters("X-Amz-Expires must be less than a week (in seconds) that is 604800")
        }
        guard signature.isHexSHA256 else {
            throw .queryParameters("X-Amz-Signature must be 64 hexadecimal characters")
        }
        guard now.timeIntervalSince(date) <= TimeInterval(lifetime) else { throw .expired }
        let authorization = SigV4Authorization(
            accessKeyID: parsed.accessKeyID, scope: parsed.scope,
            signedHeaders: signedHeaders.split(separator: ";").map { $0.lowercased() },
            signature: signature.lowercased())
        return Claim(authorization: authorization, timestamp: timestamp, date: date, isPresigned: true)
    }
}

/// Decoded query parameters, in order, for reading the `X-Amz-*` ones.
struct QueryParameters {
    private var pairs: [(name: String, value: String)]

    init(rawQuery: String) {
        pairs = rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? PercentEncoding.decode(parts[1]) : []
            return (
                String(decoding: PercentEncoding.decode(parts[0]), as: UTF8.self),
                String(decoding: value, as: UTF8.self)
            )
        }
    }

    func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    func contains(_ name: String) -> Bool {
        pairs.contains { $0.name == name }
    }
}
