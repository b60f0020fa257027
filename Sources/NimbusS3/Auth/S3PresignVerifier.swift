/// Checks the signature of a presigned (query-authenticated) request.
///
/// The S3 service recognises presigned requests (SigV4 `X-Amz-Signature`, or SigV2 `Signature`
/// with `Expires`, boto3's default for `generate_presigned_url`), enforces their expiry on its own
/// clock, and then asks this verifier whether the signature is right. Without a verifier,
/// signatures are not checked (like the rest of the endpoint's unauthenticated mode), but expiry
/// still is.
public protocol S3PresignVerifier: Sendable {
    /// Returns normally when the signature is valid; throws ``S3PresignFailure`` (rendered with its
    /// code, e.g. `SignatureDoesNotMatch`) or any other error (rendered as `SignatureDoesNotMatch`).
    func verifyPresigned(_ request: S3PresignedRequest) throws
}
