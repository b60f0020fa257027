import Logging

extension S3Service {
    /// One lifecycle pass over every bucket with enabled rules, at the clock's current time.
    @discardableResult
    func applyLifecycleRules() async -> LifecyclePassReport {
        let now = self.now
        var report = LifecyclePassReport()
        for bucket in store.buckets {
            guard let rules = bucket.lifecycle?.rules.filter(\.isEnabled), !rules.isEmpty else { continue }
            do {
                report.expiredObjects += try await expireObjects(in: bucket, rules: rules, now: now)
                report.expiredVersions += try await expireVersions(in: bucket, rules: rules, now: now)
                report.abortedUploads += try await abortUploads(in: bucket, rules: rules, now: now)
            } catch {
                logger.error(
                    "s3 lifecycle pass failed", metadata: ["s3.bucket": .string(bucket.name), "error": "\(error)"])
            }
        }
        return report
    }

    private func expireObjects(in bucket: any BucketStore, rules: [LifecycleRule], now: Int64) async throws -> Int {
        try await BlockingIO.run {
            let expiring = bucket.entries().filter { key, summary in
                rules.contains { rule in
                    guard let expiry = rule.expiration(lastModified: summary.lastModified), now >= expiry else {
                        return false
                    }
                    return rule.matches(key: key.string, size: summary.size) {
                        (try? bucket.object(key, versionID: summary.versionID, prefetch: 0))??.metadata.settings.tags
                            ?? .empty
                    }
                }
            }
            guard !expiring.isEmpty else { return 0 }
            // Each delete re-checks the summary: an object overwritten since the scan survives. In a
            // versioned bucket, expiry adds a delete marker, as S3's does.
            let deleted = try bucket.delete(expiring.map { (key: $0.key, expected: Optional($0.summary)) }, now: now)
            return deleted.count { $0 != nil }
        }
    }

    /// In a versioned bucket: deletes for good the noncurrent versions that `NoncurrentVersionExpiration`
    /// rules have expired, then the delete markers left as their key's only version that
    /// `ExpiredObjectDeleteMarker` (at once) or an `Expiration` by age (once the marker is that old)
    /// applies to. A version became noncurrent when the next newer one was written.
    private func expireVersions(in bucket: any BucketStore, rules: [LifecycleRule], now: Int64) async throws -> Int {
        guard bucket.versioning != nil else { return 0 }
        return try await BlockingIO.run {
            var deleted = 0
            for (key, versions) in bucket.versionHistory() {
                var left = versions
                for (position, version) in versions.enumerated().dropFirst() {
                    let expired = rules.contains { rule in
                        guard let expiry = rule.noncurrentExpiration(
                            noncurrentSince: versions[position - 1].lastModified, newerNoncurrent: position - 1),
                            now >= expiry
                        else { return false }
                        return rule.matches(key: key.string, size: version.size) {
                            (try? bucket.object(key, versionID: version.versionID, prefetch: 0))??.metadata.settings.tags
                                ?? .empty
                        }
                    }
                    if expired, try bucket.deleteVersion(key, id: version.versionID) != nil {
                        deleted += 1
                        left.removeAll { $0.versionID == version.versionID }
                    }
                }
                guard left.count == 1, let marker = left.first, marker.isDeleteMarker else { continue }
                let expired = rules.contains { rule in
                    guard rule.tags.isEmpty, rule.matches(key: key.string, size: 0) else { return false }
                    if rule.expiredObjectDeleteMarker { return true }
                    return rule.expirationDays != nil && now >= rule.expiration(lastModified: marker.lastModified)!
                }
                if expired, try bucket.deleteVersion(key, id: marker.versionID) != nil { deleted += 1 }
            }
            return deleted
        }
    }

    private func abortUploads(in bucket: any BucketStore, rules: [LifecycleRule], now: Int64) async throws -> Int {
        guard rules.contains(where: { $0.abortIncompleteUploadDays != nil }) else { return 0 }
        return try await BlockingIO.run {
            var aborted = 0
            for upload in try bucket.uploads() {
                let expired = rules.contains { rule in
                    guard rule.isEnabled, rule.tags.isEmpty, upload.key.utf8.starts(with: rule.prefix.utf8),
                        let deadline = rule.uploadAbortion(initiated: upload.initiated)
                    else { return false }
                    return now >= deadline
                }
                if expired, (try? bucket.removeUpload(upload.id)) != nil { aborted += 1 }
            }
            return aborted
        }
    }
}
