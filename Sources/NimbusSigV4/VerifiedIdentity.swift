import Foundation

/// Who signed a request that passed verification, and the scope they signed it for.
public struct VerifiedIdentity: Sendable {
    public let accessKeyID: String
    public let region: String
    public let service: String
    /// The signing time (X-Amz-Date, or the Date header).
    public let date: Date
    /// The request's signature: the seed of an `aws-chunked` body's chunk signature chain.
    public let signature: String
    /// True for a presigned URL (`X-Amz-*` query parameters), false for an `Authorization` header.
    public let isPresigned: Bool
    /// Signs or checks the chunks of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` body; nil when the
    /// verifier does not know the secret (non-strict mode, unknown key), so chunks cannot be checked.
    public let chunkSigner: SigV4ChunkSigner?
}
