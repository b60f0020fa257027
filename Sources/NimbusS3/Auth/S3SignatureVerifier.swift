import NimbusSigV4

/// Checks the signatures the S3 service checks itself: presigned URLs, and the chunk signatures of
/// streaming uploads (the AWS endpoint has already checked `Authorization` headers).
///
/// The service enforces presigned URLs' expiry on its own clock (SigV4 `X-Amz-Signature`, or SigV2
/// `Signature` with `Expires`, boto3's default for `generate_presigned_url`) and asks this verifier
/// whether the signature is right. Without a verifier no signature is checked (like the rest of
/// the endpoint's accept-any mode), but expiry still is.
public protocol S3SignatureVerifier: Sendable {
    /// Returns normally when the signature is valid; throws ``S3SignatureFailure`` (rendered with
    /// its code, e.g. `SignatureDoesNotMatch`) or any other error (rendered as
    /// `SignatureDoesNotMatch`).
    func verifyPresigned(_ request: S3SignedRequest) throws

    /// For an upload signed chunk by chunk (`x-amz-content-sha256:
    /// STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): checks the request's own signature, the seed
    /// of the chain, and returns the checker of its chunks; nil when signatures are not checked.
    /// Throws as ``verifyPresigned(_:)``.
    func chunkVerifier(for request: S3SignedRequest) throws -> SigV4ChunkVerifier?

    /// For a POST form upload: checks the signature of its base64 `policy` field. Throws as
    /// ``verifyPresigned(_:)``.
    func verifyPostPolicy(_ form: S3SignedForm) throws

    /// Whether signatures are recomputed; then an anonymous POST form is refused.
    var isStrict: Bool { get }
}

/// What signs a POST form: its base64 policy, and SigV4's `x-amz-credential` and
/// `x-amz-signature` or SigV2's `AWSAccessKeyId` and `signature` fields.
public struct S3SignedForm: Sendable {
    public enum Version: Sendable { case v4, v2 }

    public var version: Version
    public var policy: String
    /// The `x-amz-credential` (v4) or the `AWSAccessKeyId` (v2).
    public var credential: String
    public var signature: String
}

/// A signature failure in AWS's terms.
public struct S3SignatureFailure: Error, Sendable {
    /// `SignatureDoesNotMatch`, `InvalidAccessKeyId`, `AccessDenied`, `AuthorizationQueryParametersError` …
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
