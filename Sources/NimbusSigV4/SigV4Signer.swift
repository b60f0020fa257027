import Foundation

/// Client-side SigV4: sign a request with an `Authorization` header, or presign it as a URL query.
///
/// Canonicalises like botocore (path and query as given, already percent-encoded), so what it signs
/// is what `SigV4Verifier` checks. For tests, presigned links, and clients inside Nimbus.
public enum SigV4Signer {
    /// Never signed by default: hop-by-hop headers and ones that proxies add or rewrite (botocore's list).
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The `Authorization` value for `request` as it stands; the caller must already have put
    /// `Host` and an `X-Amz-Date` equal to `date` on it (`sign` does both but Host).
    /// - Parameter signedHeaders: header names to sign; default every header present but the unsignable ones.
    public static func authorizationHeader(
        for request: SigV4Request, payloadHash: String, credentials: SigV4Credentials, region: String,
        service: String, date: Date, signedHeaders: [String]? = nil
    ) -> String {
        let timestamp = SigV4Timestamp.format(date)
        let scope = SigV4CredentialScope(date: String(timestamp.prefix(8)), region: region, service: service)
        let names = signedHeaders.map { Set($0.map { $0.lowercased() }).sorted() } ?? defaultSignedHeaders(of: request)
        let canonical = CanonicalRequest.candidates(
            for: request, signedHeaders: names,
            payload: canonicalPayload(of: request, payloadHash: payloadHash, service: service, presigned: false),
            service: service, excludingSignature: false)[0]
        let signature = SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
            .signature(of: canonical, timestamp: timestamp)
        return "\(SigV4.algorithm) Credential=\(credentials.accessKeyID)/\(scope.description), "
            + "SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
    }

    /// `request` with `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials),
    /// `X-Amz-Content-SHA256` (S3 requires it) and `Authorization` set, as botocore sends it.
    public static func sign(
        _ request: SigV4Request, payloadHash: String, credentials: SigV4Credentials, region: String,
        service: String, date: Date
    ) -> SigV4Request {
        var signed = request
        var replaced: Set<String> = ["authorization", "x-amz-date"]
        if credentials.sessionToken != nil { replaced.insert("x-amz-security-token") }
        signed.headers.removeAll { replaced.contains($0.name.lowercased()) }
        signed.headers.append((name: "X-Amz-Date", value: SigV4Timestamp.format(date)))
        if let token = credentials.sessionToken {
            signed.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        if service == "s3", signed.value(forHeader: "x-amz-content-sha256") == nil {
            signed.headers.append((name: "X-Amz-Content-SHA256", value: payloadHash))
        }
        let authorization = authorizationHeader(
            for: signed, payloadHash: payloadHash, credentials: credentials, region: region, service: service,
            date: date)
        signed.headers.append((name: "Authorization", value: authorization))
        return signed
    }

    /// The query string (without `?`) of a presigned URL for `request`: its own query, then the
    /// `X-Amz-*` parameters, then `X-Amz-Signature`. Every header on `request` (Host at least) is
    /// signed, so the eventual caller must send them unchanged.
    /// - Parameter payloadHash: ignored for S3, which presigns `UNSIGNED-PAYLOAD`; defaults to the empty body.
    public static func presign(
        _ request: SigV4Request, credentials: SigV4Credentials, region: String, service: String, date: Date,
        expires: Int, payloadHash: String? = nil
    ) -> String {
        let timestamp = SigV4Timestamp.format(date)
        let scope = SigV4CredentialScope(date: String(timestamp.prefix(8)), region: region, service: service)
        let names = defaultSignedHeaders(of: request)
        var parameters = [
            ("X-Amz-Algorithm", SigV4.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope.description)"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", names.joined(separator: ";")),
        ]
        if let token = credentials.sessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        let authQuery = parameters.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }
            .joined(separator: "&")
        var presigned = request
        presigned.rawQuery = request.rawQuery.isEmpty ? authQuery : "\(request.rawQuery)&\(authQuery)"
        let canonical = CanonicalRequest.candidates(
            for: presigned, signedHeaders: names,
            payload: canonicalPayload(of: presigned, payloadHash: payloadHash, service: service, presigned: true),
            service: service, excludingSignature: true)[0]
        let signature = SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
            .signature(of: canonical, timestamp: timestamp)
        return "\(presigned.rawQuery)&X-Amz-Signature=\(signature)"
    }

    static func defaultSignedHeaders(of request: SigV4Request) -> [String] {
        Set(request.headers.map { $0.name.lowercased() }).subtracting(unsignedHeaderNames).sorted()
    }
}

/// The last line of the canonical request. An `x-amz-content-sha256` header states it outright
/// (S3 always sends one); S3 presigned URLs cannot know their body and use `UNSIGNED-PAYLOAD`;
/// everything else signs the body's hash.
func canonicalPayload(of request: SigV4Request, payloadHash: String?, service: String, presigned: Bool) -> String {
    if let declared = request.value(forHeader: "x-amz-content-sha256") {
        return declared
    }
    if presigned && service == "s3" {
        return SigV4.unsignedPayload
    }
    return payloadHash ?? SigV4.emptyPayloadHash
}
