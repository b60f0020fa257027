import Hummingbird
import NimbusSigV4

extension S3Service {
    /// Enforces a presigned URL's expiry on the service clock, then its signature through the
    /// injected verifier. Requests without query authentication pass untouched.
    func checkPresignedURL(_ request: S3Request) throws {
        let query = request.query
        let version: S3SignedRequest.Version
        if query.contains("X-Amz-Signature") || query.contains("X-Amz-Algorithm") {
            version = .v4
            try checkV4Expiry(query)
        } else if query.contains("Signature"), let expires = query["Expires"] {
            version = .v2
            guard let expiry = Int64(expires) else {
                throw S3Error("AuthorizationQueryParametersError", "Invalid date (should be seconds since epoch): \(expires)")
            }
            if now > expiry { throw Self.expired(expiry, now: now) }
        } else {
            return
        }
        guard let signatureVerifier else { return }
        try Self.renderingFailures { try signatureVerifier.verifyPresigned(Self.signed(request, version: version)) }
    }

    /// The checker of a streaming upload's chunk signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`
    /// and its `-TRAILER` form); nil for other bodies, or when signatures are not checked.
    func chunkVerifier(for request: S3Request) throws -> SigV4ChunkVerifier? {
        guard let signatureVerifier, let payload = request.headers[BodyReceiver.contentSHA256],
            payload == SigV4.streamingPayload || payload == SigV4.streamingPayloadWithTrailer
        else { return nil }
        return try Self.renderingFailures { try signatureVerifier.chunkVerifier(for: Self.signed(request, version: .v4)) }
    }

    private static func signed(_ request: S3Request, version: S3SignedRequest.Version) -> S3SignedRequest {
        var headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        // HTTP/1's Host arrives as the authority; signed as `host` all the same.
        if let host = request.host, !headers.contains(where: { $0.name == "host" }) {
            headers.insert(("host", host), at: 0)
        }
        let resourcePath = request.isVirtualHosted ? "/" + (request.bucket ?? "") + request.rawPath : request.rawPath
        return S3SignedRequest(
            version: version, method: request.method.rawValue, rawPath: request.rawPath, resourcePath: resourcePath,
            rawQuery: request.rawQuery, headers: headers)
    }

    /// A verifier's failure as S3's error with the same code; anything else is SignatureDoesNotMatch.
    static func renderingFailures<T>(_ verify: () throws -> T) throws(S3Error) -> T {
        do {
            return try verify()
        } catch let failure as S3SignatureFailure {
            throw S3Error(failure.code, failure.message)
        } catch {
            throw S3Error.signatureDoesNotMatch
        }
    }

    private func checkV4Expiry(_ query: QueryParameters) throws {
        guard let dateText = query["X-Amz-Date"], let date = HTTPDate.parseAmzDate(dateText) else {
            throw S3Error(
                "AuthorizationQueryParametersError",
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
        }
        guard let expiresText = query["X-Amz-Expires"], let expires = Int64(expiresText) else {
            throw S3Error(
                "AuthorizationQueryParametersError", "X-Amz-Expires should be a number")
        }
        guard expires >= 0 else {
            throw S3Error("AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative")
        }
        guard expires <= 604_800 else {
            throw S3Error(
                "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds) that is 604800")
        }
        let now = self.now
        if now > date + expires { throw Self.expired(date + expires, now: now) }
    }

    private static func expired(_ expiry: Int64, now: Int64) -> S3Error {
        S3Error(
            "AccessDenied", "Request has expired",
            details: [
                ("X-Amz-Expires", ""), ("Expires", HTTPDate.iso8601(expiry)), ("ServerTime", HTTPDate.iso8601(now)),
            ].filter { !$0.1.isEmpty })
    }
}
