import Hummingbird

extension S3Service {
    /// Enforces a presigned URL's expiry on the service clock, then its signature through the
    /// injected verifier. Requests without query authentication pass untouched.
    func checkPresignedURL(_ request: S3Request) throws {
        let query = request.query
        let version: S3PresignedRequest.Version
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
        guard let presignVerifier else { return }
        var headers: [(name: String, value: String)] = []
        if let host = request.host { headers.append(("host", host)) }
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        let resourcePath = request.isVirtualHosted ? "/" + (request.bucket ?? "") + request.rawPath : request.rawPath
        let presigned = S3PresignedRequest(
            version: version, method: request.method.rawValue, rawPath: request.rawPath, resourcePath: resourcePath,
            rawQuery: request.rawQuery, headers: headers)
        do {
            try presignVerifier.verifyPresigned(presigned)
        } catch let failure as S3PresignFailure {
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
