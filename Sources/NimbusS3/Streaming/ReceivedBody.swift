/// A request body written to a staging file, with what was learned on the way.
struct ReceivedBody: Sendable {
    let staged: StagedFile
    let size: Int64
    /// Raw MD5 digest (the ETag of a single-part object).
    let md5: [UInt8]
    /// Checksum algorithm → base64 value, verified against what the client sent.
    let checksums: [String: String]

    var etag: String { Hex.encode(md5) }
}
