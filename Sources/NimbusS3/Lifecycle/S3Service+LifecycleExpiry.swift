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
                        (try? bucket.object(key, prefetch: 0))??.metadata.settings.tags ?? .empty
                    }
                }
            }
            guard !expiring.isEmpty else { return 0 }
            // Each delete re-checks the summary: an object overwritten since the scan survives.
            return try bucket.removeAll(expiring.map { (key: $0.key, expected: Optional($0.summary)) })
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
