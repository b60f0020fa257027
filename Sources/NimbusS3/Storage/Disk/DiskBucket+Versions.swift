/// Versioning on disk. The `null` version of a key stays `objects/<key>`, written through the
/// journal like any object of an unversioned bucket; every other version, and delete marker, is a
/// file `versions/<key>/<id>` of its own, written once (flushed, renamed into place, directory
/// synced), so each change is one atomic rename or unlink and a crash needs no repair.
extension DiskBucket {
    func versionPath(_ key: ObjectKey, id: String) -> String {
        versionsDirectory + "/" + Self.fileName(for: key) + "/" + id
    }

    var versioning: VersioningStatus? { configuration.versioning }

    /// Sets the bucket's versioning; the first time, its objects become their keys' `null` versions.
    func setVersioning(_ status: VersioningStatus) throws {
        try state.withLock { state in
            try POSIX.makeDirectory(versionsDirectory)
            try update(&state) { $0.versioning = status }
            if state.versions == nil {
                state.versions = VersionIndex(unversioned: state.index)
                state.mirrorAll()
            }
        }
    }

    func newVersion(now: Int64) -> (id: String?, stamp: Int64) {
        state.withLock { state in
            let stamp = max(now &* 1_000_000_000, state.lastStamp + 1)
            state.lastStamp = stamp
            return (state.configuration.versioning == .enabled ? VersionID.make(stamp: stamp) : nil, stamp)
        }
    }

    func object(_ key: ObjectKey, versionID: String?, prefetch: Int) throws -> StoredObject? {
        let versioned = state.withLock { $0.versions != nil }
        guard versioned else { return versionID == nil ? try object(key, prefetch: prefetch) : nil }
        return try openVersion(key, id: versionID, prefetch: prefetch)
    }

    func openVersion(_ key: ObjectKey, id: String?, prefetch: Int) throws -> StoredObject? {
        let opened = try ObjectFile.open(id.map { versionPath(key, id: $0) } ?? objectPath(key), prefetch: prefetch)
        return opened?.metadata.versionID == id ? opened : nil
    }

    func latestVersion(of key: ObjectKey) -> ObjectSummary? {
        state.withLock { $0.versions?.latest[key] }
    }

    func summary(of key: ObjectKey, versionID: String?) -> ObjectSummary? {
        state.withLock { state in
            guard let versions = state.versions else { return versionID == nil ? state.index[key] : nil }
            return versions.version(key, id: versionID)
        }
    }

    func versionHistory() -> [(key: ObjectKey, versions: [ObjectSummary])] {
        state.withLock { state in
            guard let versions = state.versions else { return [] }
            return versions.latest.keys.map { ($0, versions[$0]) }
        }
    }

    func listVersions(prefix: String, delimiter: String?, keyMarker: String?, versionIDMarker: String?, maxKeys: Int)
        -> VersionListingPage
    {
        state.withLock { state in
            if let versions = state.versions {
                return versions.listVersions(
                    prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, versionIDMarker: versionIDMarker,
                    maxKeys: maxKeys)
            }
            let index = state.index
            return index.listVersions(
                prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, versionIDMarker: versionIDMarker,
                maxKeys: maxKeys
            ) { index[$0].map { [$0] } ?? [] }
        }
    }

    /// Makes a finished, flushed staged file the version `metadata.versionID` of `key`.
    func publishVersion(_ staged: StagedFile, as key: ObjectKey, metadata: ObjectMetadata, condition: WriteCondition?)
        throws
    {
        let directory = versionsDirectory + "/" + Self.fileName(for: key)
        do {
            if try POSIX.makeDirectory(directory), durable { try POSIX.syncDirectory(versionsDirectory) }
            try state.withLock { state in
                guard !state.isDeleted else { throw S3Error.noSuchBucket(name) }
                if let condition {
                    try condition.check(existing: state.index[key], replaced: state.replaced(key, by: metadata))
                }
                try POSIX.rename(staged.path, directory + "/" + metadata.versionID!)
                state.record(key, metadata.summary)
            }
        } catch {
            _ = try? POSIX.remove(staged.path)
            if let failure = error as? POSIXFailure, failure.isNotFound { throw S3Error.noSuchBucket(name) }
            throw error
        }
        if durable { try POSIX.syncDirectory(directory) }
    }

    /// DELETE without a version ID: in a versioned bucket, a new delete marker on each key (the
    /// `null` version when versioning is suspended), even one without any version, as S3 does.
    func delete(_ keys: [(key: ObjectKey, expected: ObjectSummary?)], now: Int64) throws -> [VersionDeletion?] {
        guard versioning != nil else {
            return try removeAll(keys).map { $0 ? VersionDeletion(versionID: nil, isDeleteMarker: false) : nil }
        }
        return try keys.map { key, expected in
            let (id, stamp) = newVersion(now: now)
            let marker = ObjectMetadata(
                key: key.string, size: 0, lastModified: now, etag: "", versionID: id, versionStamp: stamp,
                isDeleteMarker: true)
            let writer = try writer(for: .object(key, condition: expected.map { WriteCondition(unchanged: $0) }))
            do {
                try writer.finish(marker)
            } catch let error as S3Error where error.code == WriteCondition.conflict.code {
                return nil  // changed since the caller looked (lifecycle)
            }
            return VersionDeletion(versionID: id, isDeleteMarker: true)
        }
    }

    /// DELETE with a version ID: that version (or marker) is gone for good, and the newest one left
    /// becomes current. Nil when there was no such version.
    func deleteVersion(_ key: ObjectKey, id: String?) throws -> VersionDeletion? {
        var sequence: UInt64?
        let removed = try state.withLock { state -> ObjectSummary? in
            guard !state.isDeleted else { return nil }
            guard let versions = state.versions else {
                guard id == nil, let current = state.index[key] else { return nil }
                sequence = try removeNullFile(key, &state).sequence
                return current
            }
            guard let version = versions.version(key, id: id) else { return nil }
            if let id {
                try POSIX.remove(versionPath(key, id: id))
                state.forget(key, id: id)
            } else {
                sequence = try removeNullFile(key, &state).sequence
            }
            return version
        }
        guard let removed else { return nil }
        if let id {
            if durable { try POSIX.syncDirectory(versionsDirectory + "/" + Self.fileName(for: key)) }
            return VersionDeletion(versionID: id, isDeleteMarker: removed.isDeleteMarker)
        }
        try makeRemovalsDurable(upTo: sequence, any: true)
        return VersionDeletion(versionID: nil, isDeleteMarker: removed.isDeleteMarker)
    }
}

extension DiskBucket.State {
    /// Records a published version: the key's current one, or one of its versions.
    mutating func record(_ key: ObjectKey, _ summary: ObjectSummary) {
        guard versions != nil else {
            index.upsert(key, summary)
            return
        }
        versions!.put(key, summary)
        mirror(key)
    }

    mutating func forget(_ key: ObjectKey, id: String?) {
        guard versions != nil else {
            index.remove(key)
            return
        }
        versions!.remove(key, id: id)
        mirror(key)
    }

    /// The version a write of `metadata` replaces: the one with its ID (in an unversioned bucket,
    /// the current object).
    func replaced(_ key: ObjectKey, by metadata: ObjectMetadata) -> ObjectSummary? {
        guard let versions else { return index[key] }
        return versions.version(key, id: metadata.versionID)
    }

    /// Makes `index` show the key's latest version, unless that is a delete marker.
    private mutating func mirror(_ key: ObjectKey) {
        if let latest = versions?.latest[key], !latest.isDeleteMarker {
            index.set(key, latest)
        } else {
            index.remove(key)
        }
    }

    /// Rebuilds `index` from `versions`.
    mutating func mirrorAll() {
        index = KeyIndex()
        for key in versions?.latest.keys ?? [] { mirror(key) }
    }
}

/// What a DELETE removed or added.
struct VersionDeletion: Sendable, Equatable {
    /// The version deleted, or the marker's version (nil: `null`).
    var versionID: String?
    /// The version deleted was a delete marker, or the DELETE added one.
    var isDeleteMarker: Bool
}
