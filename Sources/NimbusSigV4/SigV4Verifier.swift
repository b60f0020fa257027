import Foundation

/// Server-side SigV4: checks an `Authorization` header or a presigned URL.
///
/// Strict mode recomputes every signature and knows its keys. Non-strict mode behaves like local
/// AWS emulators, accepting any well-formed signature from any key, but still rejects malformed
/// authorization and expired presigned URLs, so clients see the same errors they would from AWS.
/// Clock skew is not enforced (a laptop's clock is not AWS's); presigned expiry is.
public struct SigV4Verifier: Sendable {
    public let strict: Bool
    let credentialsByAccessKey: [String: SigV4Credentials]
    let signingKeys = SigningKeyCache()

    /// The only headers a check reads when not strict, so a caller may pass just these.
    public static let headersReadWhenNotStrict = ["authorization", "x-amz-date", "date", "x-amz-content-sha256"]

    public init(credentials: [SigV4Credentials], strict: Bool) {
        self.strict = strict
        self.credentialsByAccessKey = Dictionary(credentials.map { ($0.accessKeyID, $0) }) { _, last in last }
    }

    /// Verifies `request` as of `now`.
    ///
    /// - Parameter payloadHash: hex SHA-256 of the body, or the literal `x-amz-content-sha256` value
    ///   (`UNSIGNED-PAYLOAD`, `STREAMING-…`) when the body has not been read. When the request carries
    ///   that header it is what was signed; a hex hash that contradicts it is `XAmzContentSHA256Mismatch`.
    /// - Returns: `MissingAuthenticationToken` when the request carries no SigV4 at all, so callers that
    ///   allow anonymous access can tell that apart from a bad signature.
    public func verify(_ request: SigV4Request, payloadHash: String, now: Date) -> Result<VerifiedIdentity, SigV4Error>
    {
        Result { () throws(SigV4Error) in try check(request, payloadHash: payloadHash, now: now) }
    }

    private func check(_ request: SigV4Request, payloadHash: String, now: Date) throws(SigV4Error) -> VerifiedIdentity {
        let query = QueryParameters(rawQuery: request.rawQuery)
        let header = request.value(forHeader: "authorization")
        switch (header, query.contains("X-Amz-Algorithm") || query.contains("X-Amz-Signature")) {
        case (.some, true):
            throw .twoMechanisms
        case (.some(let header), false):
            return try authenticate(headerSigned(request, authorization: header), request, payloadHash: payloadHash)
        case (nil, true):
            return try authenticate(
                presigned(request, query: query, now: now), request, payloadHash: payloadHash)
        case (nil, false):
            throw .missingAuthenticationToken
        }
    }

    /// What every SigV4 request states about its own signing, once its form is known to be sound.
    struct Claim {
        var authorization: SigV4Authorization
        var timestamp: String
        var date: Date
        var isPresigned: Bool
    }

    private func headerSigned(_ request: SigV4Request, authorization header: String) throws(SigV4Error) -> Claim {
        let authorization = try SigV4.parseAuthorization(header)
        let timestamp: String
        if let amzDate = request.value(forHeader: "x-amz-date") {
            timestamp = amzDate.trimmingWhitespace()
        } else if let httpDate = request.value(forHeader: "date") {
            // With only a Date header, the string to sign still uses the ISO 8601 basic form.
            guard let date = SigV4Timestamp.parseHTTPDate(httpDate.trimmingWhitespace()) else { throw .invalidDate }
            timestamp = SigV4Timestamp.format(date)
        } else {
            throw .incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard let date = SigV4Timestamp.parse(timestamp) else { throw .invalidDate }
        guard timestamp.hasPrefix(authorization.scope.date) else {
            throw .headerMalformed(SigV4Error.dateMismatch(scope: authorization.scope, timestamp: timestamp))
        }
        return Claim(authorization: authorization, timestamp: timestamp, date: date, isPresigned: false)
    }

    /// Strict: the key must be known and the signature must match one canonical form of the request.
    private func authenticate(_ claim: Claim, _ request: SigV4Request, payloadHash: String) throws(SigV4Error)
        -> VerifiedIdentity
    {
        let authorization = claim.authorization
        let scope = authorization.scope
        if let declared = request.value(forHeader: "x-amz-content-sha256"), declared.isHexSHA256,
            payloadHash.isHexSHA256, declared.lowercased() != payloadHash.lowercased()
        {
            throw .contentSHA256Mismatch
        }
        let credentials = credentialsByAccessKey[authorization.accessKeyID]
        let key = credentials.map { signingKeys.key(for: $0, scope: scope) }
        if strict {
            guard let key else { throw .invalidAccessKeyID }
            if scope.service == "s3" {
                // S3 refuses x-amz-* headers outside the signature: they change what the request does.
                let signed = Set(authorization.signedHeaders)
                let amzHeaders = request.headers.map { $0.name.lowercased() }.filter { $0.hasPrefix("x-amz-") }
                guard amzHeaders.allSatisfy(signed.contains) else { throw .unsignedHeaders }
            }
            let payload = canonicalPayload(
                of: request, payloadHash: payloadHash, service: scope.service, presigned: claim.isPresigned)
            let candidates = CanonicalRequest.candidates(
                for: request, signedHeaders: authorization.signedHeaders, payload: payload, service: scope.service,
                excludingSignature: claim.isPresigned)
            var matched = false
            for candidate in candidates {
                // No early exit: every candidate costs the same whichever one matches.
                let expected = key.signature(of: candidate, timestamp: claim.timestamp)
                matched = constantTimeEquals(expected, authorization.signature) || matched
            }
            guard matched else { throw .signatureDoesNotMatch }
        }
        return VerifiedIdentity(
            accessKeyID: authorization.accessKeyID, region: scope.region, service: scope.service, date: claim.date,
            signature: authorization.signature, isPresigned: claim.isPresigned,
            chunkSigner: key.map { SigV4ChunkSigner(key: $0, timestamp: claim.timestamp) })
    }
}
