extension BucketStore {
    /// Rewrites the current version of `key` with its metadata changed by `change` (tags), keeping
    /// its bytes, ETag and Last-Modified. The new file is written by the copy machinery (so a large
    /// object is copied) and published like any write, through the journal, on condition that the
    /// key still holds the version that was read: a PUT or DELETE that lands in between is never
    /// overwritten or undone. The change is then made again on the new version, a few times at most.
    ///
    /// NoSuchKey when there is no such object. Blocks on the disk.
    @discardableResult
    func rewrite(_ key: ObjectKey, attempts: Int = 3, change: (inout ObjectMetadata) -> Void) throws -> ObjectMetadata {
        for _ in 0..<attempts {
            guard let current = summary(of: key), let opened = try object(key, prefetch: 0) else {
                throw S3Error.noSuchKey(key.string)
            }
            // The file opened must be the version `current` describes: no publish in between.
            guard summary(of: key) == current else { continue }
            var metadata = opened.metadata
            change(&metadata)
            let writer = try self.writer(for: .object(key, condition: WriteCondition(unchanged: current)))
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
