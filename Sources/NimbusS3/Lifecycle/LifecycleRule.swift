/// One rule of a bucket lifecycle configuration, as far as Nimbus acts on it: current-object
/// expiration (`Days` or `Date`), noncurrent-version expiration, expired delete markers and
/// aborting stale multipart uploads. Transitions are stored and returned but have nothing to act
/// on here (there is one storage class).
struct LifecycleRule: Sendable, Equatable {
    var id: String?
    var isEnabled: Bool
    var prefix: String = ""
    /// An object matches only if it carries every one of these tags.
    var tags: [String: String] = [:]
    var objectSizeGreaterThan: Int64?
    var objectSizeLessThan: Int64?
    var expirationDays: Int?
    /// Unix seconds (midnight UTC).
    var expirationDate: Int64?
    var abortIncompleteUploadDays: Int?
    /// Remove a delete marker once it is its key's only version.
    var expiredObjectDeleteMarker = false
    /// Delete a noncurrent version this many days after it became noncurrent…
    var noncurrentDays: Int?
    /// …once this many newer noncurrent versions exist.
    var newerNoncurrentVersions: Int?

    static let day: Int64 = 86_400

    /// Whether the rule applies to an object. `objectTags` is asked only when the rule filters by
    /// tags and everything else matches: reading them means opening the object.
    func matches(key: String, size: Int64, objectTags: () -> TagSet = { .empty }) -> Bool {
        guard isEnabled, key.utf8.starts(with: prefix.utf8) else { return false }
        if let objectSizeGreaterThan, !(size > objectSizeGreaterThan) { return false }
        if let objectSizeLessThan, !(size < objectSizeLessThan) { return false }
        return tags.isEmpty || objectTags().contains(tags)
    }

    /// When an object last modified at `lastModified` expires under this rule, in Unix seconds.
    ///
    /// AWS adds the days to the creation time and rounds up to the next midnight UTC.
    func expiration(lastModified: Int64) -> Int64? {
        if let expirationDays {
            return Self.nextMidnight(lastModified + Int64(expirationDays) * Self.day)
        }
        return expirationDate
    }

    /// When a version that became noncurrent at `noncurrentSince` expires under this rule, if
    /// `newerNoncurrent` noncurrent versions of its key are newer than it.
    func noncurrentExpiration(noncurrentSince: Int64, newerNoncurrent: Int) -> Int64? {
        guard let noncurrentDays, newerNoncurrent >= newerNoncurrentVersions ?? 0 else { return nil }
        return Self.nextMidnight(noncurrentSince + Int64(noncurrentDays) * Self.day)
    }

    /// When a multipart upload initiated at `initiated` is aborted under this rule.
    func uploadAbortion(initiated: Int64) -> Int64? {
        abortIncompleteUploadDays.map { Self.nextMidnight(initiated + Int64($0) * Self.day) }
    }

    static func nextMidnight(_ seconds: Int64) -> Int64 {
        let days = HTTPDate.floorDiv(seconds, day)
        return days * day == seconds ? seconds : (days + 1) * day
    }
}
