/// A bucket's versioning state, as PutBucketVersioning sets it. A bucket that never had it set has
/// none (`nil` where it is stored) and, as in S3, can never go back to that state.
enum VersioningStatus: String, Codable, Sendable {
    /// Every write makes a new version; DELETE adds a delete marker.
    case enabled = "Enabled"
    /// Writes replace the `null` version; DELETE makes the `null` version a delete marker.
    case suspended = "Suspended"
}

/// Version IDs: what S3 calls the `null` version, and the IDs Nimbus gives the others.
enum VersionID {
    static let null = "null"

    /// A new ID for a version stamped `stamp`: 32 lowercase hex digits, the stamp's 16 first, so IDs
    /// also sort in the order their versions were written.
    static func make(stamp: Int64) -> String {
        let time = String(UInt64(bitPattern: stamp), radix: 16)
        let noise = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - time.count) + time + String(repeating: "0", count: 16 - noise.count)
            + noise
    }

    /// Whether `text` is an ID Nimbus could have made: these name files, so nothing else may.
    static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The version a request's `versionId` names: nil for `null`; InvalidArgument when it is
    /// neither `null` nor an ID Nimbus could have made (S3 answers the same for malformed IDs).
    static func parse(_ text: String) throws(S3Error) -> String? {
        if text == null { return nil }
        guard isWellFormed(text) else {
            throw S3Error.invalidArgument("Invalid version id specified", name: "versionId", value: text)
        }
        return text
    }
}
