import Crypto

/// Checks the signature chain of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` body as it
/// streams: the bytes of each chunk are hashed as they pass, so no chunk is held in memory.
///
/// Feed a chunk's bytes with ``update(_:)``, then end it with ``finishChunk(signature:)`` (the
/// final chunk is empty); trailing headers are checked by ``finishTrailers(_:signature:)``.
public struct SigV4ChunkVerifier {
    private let signer: SigV4ChunkSigner
    private var previous: String
    private var chunk = SHA256()

    /// - Parameter seedSignature: the verified signature of the request itself.
    public init(signer: SigV4ChunkSigner, seedSignature: String) {
        self.signer = signer
        self.previous = seedSignature.lowercased()
    }

    /// Bytes of the current chunk.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        chunk.update(bufferPointer: bytes)
    }

    /// Ends the current chunk: whether `signature` (its `chunk-signature`) signs the bytes given
    /// since the previous chunk, after that chunk's signature.
    public mutating func finishChunk(signature: some StringProtocol) -> Bool {
        let expected = signer.signature(forChunkHash: chunk.finalize().hexString, previous: previous)
        chunk = SHA256()
        previous = expected
        return constantTimeEquals(String(signature).lowercased(), expected)
    }

    /// Whether `signature` (the `x-amz-trailer-signature`) signs `trailers`, the trailing header
    /// lines as sent, each followed by `\n`.
    public func finishTrailers(_ trailers: some Collection<UInt8>, signature: some StringProtocol) -> Bool {
        constantTimeEquals(
            String(signature).lowercased(), signer.signature(forTrailers: trailers, previous: previous))
    }
}
