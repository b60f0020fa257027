import Foundation

/// Signatures of the chunks of an `aws-chunked` body sent with
/// `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`.
///
/// Chunk n is signed over the signature of chunk n-1 (the request's own signature for the first), so
/// chunks can be neither reordered, dropped nor replayed; the final chunk is empty, and the trailing
/// headers (if any) are signed over its signature.
public struct SigV4ChunkSigner: Sendable {
    let key: SigningKey
    /// The request's `yyyyMMdd'T'HHmmss'Z'` timestamp, repeated in every chunk's string to sign.
    public let timestamp: String

    public init(credentials: SigV4Credentials, date: Date, region: String, service: String) {
        let timestamp = SigV4Timestamp.format(date)
        let scope = SigV4CredentialScope(date: String(timestamp.prefix(8)), region: region, service: service)
        self.init(key: SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope), timestamp: timestamp)
    }

    init(key: SigningKey, timestamp: String) {
        self.key = key
        self.timestamp = timestamp
    }

    /// The signature of `bytes`, chained to `previous` (the seed signature for the first chunk).
    public func signature(forChunk bytes: some Collection<UInt8>, previous: String) -> String {
        signature(forChunkHash: sha256Hex(bytes), previous: previous)
    }

    /// The signature of a chunk whose SHA-256 (lowercase hex) is `hash`: for chunks hashed as
    /// they stream.
    public func signature(forChunkHash hash: String, previous: String) -> String {
        key.sign(
            [SigV4.chunkAlgorithm, timestamp, key.scope.description, previous, SigV4.emptyPayloadHash, hash]
                .joined(separator: "\n"))
    }

    /// The `x-amz-trailer-signature` of trailing headers, given as `name:value\n` lines in the
    /// order sent, chained to `previous` (the final, empty chunk's signature).
    public func signature(forTrailers trailers: some Collection<UInt8>, previous: String) -> String {
        key.sign(
            [SigV4.trailerAlgorithm, timestamp, key.scope.description, previous, sha256Hex(trailers)]
                .joined(separator: "\n"))
    }

    /// Whether `signature` (as sent after `;chunk-signature=`) signs `bytes` after `previous`.
    /// Compared in constant time.
    public func isValid(_ signature: String, forChunk bytes: some Collection<UInt8>, previous: String) -> Bool {
        constantTimeEquals(signature.lowercased(), self.signature(forChunk: bytes, previous: previous))
    }
}
