extension BucketStore {
    /// Rewrites one version of `key` (the current one unless `versionID` names another; nil: `null`)
    /// with its metadata changed by `change` (tags), keeping its bytes, ETag, Last-Modified and
    /// version ID. The new file is written by the copy machinery (so a large object is copied) and
    /// published like any write, through the journal, on condition that the version still is what
    /// was read: a PUT or DELETE that lands in between is never overwritten or undone. The change is
    /// then made again on the new version, a few times at most.
    ///
    /// NoSuchKey when there is no such object. Blocks on the disk.
    @discardableResult
    func rewrite(
        _ key: ObjectKey, versionID: String?? = nil, attempts: Int = 3, change: (inout ObjectMetadata) -> Void
    ) throws -> ObjectMetadata {
        for _ in 0..<attempts {
            let read = { () -> ObjectSummary? in
                versionID.map { summary(of: key, versionID: $0) } ?? summary(of: key)
            }
            guard let current = read(), !current.isDeleteMarker,
                let opened = try object(key, versionID: current.versionID, prefetch: 0)
            else {
                throw S3Error.noSuchKey(key.string)
            }
            // The file opened must be the version `current` describes: no publish in between.
            guard read() == current else { continue }
            var metadata = opened.metadata
            change(&metadata)
            let writer = try self.writer(for: .object(key, condition: WriteCondition(sameVersion: current)))
            do {
                try writer.append(from: opened.reader, range: 0..<metadata.size)
            } catch {
                writer.discard()
                throw error
            }
            do {
                try writer.finish(metadata)
                return metadata
            } catch let error as S3Error where error.code == WriteCondition.conflict.code {
                continue  // a write landed in between: change the new version instead
            }
        }
        throw WriteCondition.conflict
    }
}
