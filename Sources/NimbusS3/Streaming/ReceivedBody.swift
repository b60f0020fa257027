/// A request body written to storage (not yet visible), with what was learned on the way.
struct ReceivedBody: Sendable {
    /// Finish it to publish the body.
    let writer: any ObjectWriter
    let size: Int64
    /// Raw MD5 digest (the ETag of a single-part object).
    let md5: [UInt8]
    /// Checksum algorithm → base64 value, verified against what the client sent.
    let checksums: [String: String]

    var etag: String { Hex.encode(md5) }
}
