import Foundation
import Logging
import Testing

@testable import NimbusS3

/// The journal inside a durable `DiskObjectStore`: what a crash before a checkpoint leaves on disk
/// is repaired at the next open.
@Suite struct ObjectJournalStoreTests {
    static let logger = Logger(label: "test")

    static func open(_ directory: String, fileSize: Int = 1 << 20, durable: Bool = true) throws -> DiskObjectStore {
        try DiskObjectStore(directory: directory, durable: durable, logger: logger, journalFileSize: fileSize)
    }

    static func body(_ key: String, _ size: Int) -> [UInt8] {
        let seed = Array(key.utf8)
        return (0..<size).map { seed[$0 % seed.count] &+ UInt8(truncatingIfNeeded: $0 / seed.count) }
    }

    static func put(_ bucket: any BucketStore, _ key: String, _ body: [UInt8]) throws {
        let writer = try bucket.writer(for: .object(try ObjectKey(validating: key), condition: nil))
        var offset = 0
        while offset < body.count || offset == 0 {
            let chunk = body[offset..<min(body.count, offset + 16_384)]
            try chunk.withUnsafeBytes { try writer.append($0) }
            offset += 16_384
        }
        try writer.finish(ObjectMetadata(key: key, size: Int64(body.count), lastModified: 1, etag: "etag-\(body.count)"))
    }

    static func read(_ bucket: any BucketStore, _ key: String) throws -> [UInt8]? {
        guard let object = try bucket.object(ObjectKey(trusted: key), prefetch: 0) else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(object.metadata.size))
        try bytes.withUnsafeMutableBytes { try object.reader.read(into: $0, at: 0) }
        return bytes
    }

    static func keys(_ bucket: any BucketStore) -> [String] {
        bucket.entries().map(\.key.string)
    }

    /// The live records of the journal under `directory`, as recovery would read them.
    static func liveRecords(_ directory: String) throws -> [JournalRecord] {
        let scanned = try ObjectJournal.fileNames.compactMap { name in
            JournalRecovery.scan(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/journal/" + name))))
        }
        return JournalRecovery.liveEntries(scanned).map(\.record)
    }

    /// Whether every record appended so far has been flushed (each write waited for its own).
    static func everythingFlushed(_ store: DiskObjectStore) throws -> Bool {
        let journal = try #require(store.journal)
        journal.condition.lock()
        defer { journal.condition.unlock() }
        return journal.state.durableSequence + 1 == journal.state.nextSequence
    }

    /// Shuts a store down without a checkpoint, as a crash would.
    static func crash(_ store: consuming DiskObjectStore) {
        store.journal?.close()
    }

    @Test func everyAcknowledgedWriteSurvivesLostRenamesAndUnlinks() throws {
        let directory = try TemporaryDirectory()
        let large = Self.body("large", 200_000)
        do {
            let store = try Self.open(directory.path)
            let bucket = try store.createBucket("bkt", region: "us-east-1", now: 0)
            try Self.put(bucket, "small", Self.body("v1", 1000))
            try Self.put(bucket, "large", large)
            try Self.put(bucket, "deleted", Self.body("d", 10))
            try Self.put(bucket, "truncated", Self.body("t", 5000))
            #expect(try bucket.delete([(ObjectKey(trusted: "deleted"), nil)], now: 0)[0] != nil)
            try Self.put(bucket, "small", Self.body("v2", 1500))
            #expect(try Self.everythingFlushed(store))
            Self.crash(store)
        }
        let live = try Self.liveRecords(directory.path)
        #expect(live.map(\.key) == ["small", "large", "deleted", "truncated", "deleted", "small"])

        // What power loss can leave: renames and unlinks not on disk, a file never written back.
        let objects = directory.path + "/buckets/bkt/objects/"
        let staging = directory.path + "/buckets/bkt/staging/"
        func path(_ key: String) -> String { objects + DiskBucket.fileName(for: ObjectKey(trusted: key)) }
        guard case .publish(let stagedName) = live[1].change else {
            Issue.record("a large object is published by name")
            return
        }
        try FileManager.default.moveItem(atPath: path("large"), toPath: staging + stagedName)
        try FileManager.default.removeItem(atPath: path("small"))
        try Data("stale".utf8 + ObjectFile.trailer(for: ObjectMetadata(key: "deleted", size: 5, lastModified: 0, etag: "x")))
            .write(to: URL(fileURLWithPath: path("deleted")))
        try FileHandle(forWritingTo: URL(fileURLWithPath: path("truncated"))).truncate(atOffset: 0)

        let reopened = try Self.open(directory.path)
        let bucket = try reopened.bucket("bkt")
        #expect(Self.keys(bucket) == ["large", "small", "truncated"])
        #expect(try Self.read(bucket, "small") == Self.body("v2", 1500))
        #expect(try Self.read(bucket, "large") == large)
        #expect(try Self.read(bucket, "truncated") == Self.body("t", 5000))
        #expect(try Self.read(bucket, "deleted") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty)
        // Replayed and checkpointed: nothing is live any more.
        #expect(try Self.liveRecords(directory.path).isEmpty)
    }

    /// Small journal files: writers switch files and wait for checkpoints many times over.
    @Test func switchingAndCheckpointingKeepsEverything() throws {
        let directory = try TemporaryDirectory()
        var expected: [String: [UInt8]] = [:]
        do {
            let store = try Self.open(directory.path, fileSize: 256 * 1024)
            let bucket = try store.createBucket("bkt", region: "us-east-1", now: 0)
            for round in 0..<3 {
                for index in 0..<20 {
                    let key = "k\(index)"
                    let body = Self.body("\(key)-\(round)", 30_000 + index)
                    try Self.put(bucket, key, body)
                    expected[key] = body
                }
                for index in stride(from: round, to: 20, by: 7) {
                    _ = try bucket.delete([(ObjectKey(trusted: "k\(index)"), nil)], now: 0)
                    expected["k\(index)"] = nil
                }
            }
            let generation = try #require(store.journal).state.generation
            #expect(generation > 5)
            Self.crash(store)
        }
        let bucket = try Self.open(directory.path, fileSize: 256 * 1024).bucket("bkt")
        #expect(Self.keys(bucket) == expected.keys.sorted())
        for (key, body) in expected { #expect(try Self.read(bucket, key) == body, "\(key)") }
    }

    @Test func concurrentWritersShareFlushes() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try Self.open(directory.path)
            let bucket = try store.createBucket("bkt", region: "us-east-1", now: 0)
            let failures = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 8) { writer in
                for index in 0..<40 {
                    do {
                        try Self.put(bucket, "w\(writer)/\(index)", Self.body("w\(writer)/\(index)", 100 + index))
                    } catch {
                        failures.withLock { $0 += 1 }
                    }
                }
            }
            #expect(failures.withLock { $0 } == 0)
            #expect(try Self.liveRecords(directory.path).count == 320)
            #expect(try Self.everythingFlushed(store))
            Self.crash(store)
        }
        // Lose every object file: the journal alone brings them back.
        try FileManager.default.removeItem(atPath: directory.path + "/buckets/bkt/objects")
        try FileManager.default.createDirectory(atPath: directory.path + "/buckets/bkt/objects", withIntermediateDirectories: false)
        let bucket = try Self.open(directory.path).bucket("bkt")
        #expect(Self.keys(bucket).count == 320)
        #expect(try Self.read(bucket, "w7/39") == Self.body("w7/39", 139))
    }

    /// Start-up reads the journal a prefix at a time: records far past the first read are found.
    @Test func recordsBeyondTheFirstReadAreReplayed() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try Self.open(directory.path, fileSize: 8 << 20)
            let bucket = try store.createBucket("bkt", region: "us-east-1", now: 0)
            for index in 0..<20 {
                try Self.put(bucket, "k\(index)", Self.body("k\(index)", 60_000))
            }
            #expect(try Self.liveRecords(directory.path).count == 20)
            Self.crash(store)
        }
        try FileManager.default.removeItem(atPath: directory.path + "/buckets/bkt/objects")
        try FileManager.default.createDirectory(atPath: directory.path + "/buckets/bkt/objects", withIntermediateDirectories: false)
        let bucket = try Self.open(directory.path, fileSize: 8 << 20).bucket("bkt")
        #expect(Self.keys(bucket).count == 20)
        #expect(try Self.read(bucket, "k19") == Self.body("k19", 60_000))
    }

    /// DeleteBucket checkpoints: no record of the old bucket can be replayed into a new one.
    @Test func deletingABucketKillsItsRecords() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.open(directory.path)
        var bucket = try store.createBucket("bkt", region: "us-east-1", now: 0)
        try Self.put(bucket, "old", Self.body("old", 10))
        _ = try bucket.delete([(ObjectKey(trusted: "old"), nil)], now: 0)
        #expect(try Self.liveRecords(directory.path).count == 2)
        try store.deleteBucket("bkt")
        #expect(try Self.liveRecords(directory.path).isEmpty)
        bucket = try store.createBucket("bkt", region: "us-east-1", now: 0)
        try Self.put(bucket, "new", Self.body("new", 10))
        #expect(try Self.liveRecords(directory.path).map(\.key) == ["new"])
        Self.crash(store)
    }

    @Test func withoutDurableWritesThereIsNoJournalButAnOldOneIsReplayed() throws {
        let directory = try TemporaryDirectory()
        do {
            let plain = try Self.open(directory.path, durable: false)
            #expect(plain.journal == nil)
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/journal"))
            try Self.put(try plain.createBucket("bkt", region: "us-east-1", now: 0), "plain", [1, 2, 3])
        }

        do {
            let durable = try Self.open(directory.path)
            try Self.put(try durable.bucket("bkt"), "journaled", [4, 5])
            Self.crash(durable)
        }
        try FileManager.default.removeItem(
            atPath: directory.path + "/buckets/bkt/objects/" + DiskBucket.fileName(for: ObjectKey(trusted: "journaled")))

        let reopened = try Self.open(directory.path, durable: false)
        #expect(reopened.journal == nil)
        #expect(try Self.read(try reopened.bucket("bkt"), "journaled") == [4, 5])
        #expect(try Self.liveRecords(directory.path).isEmpty)
    }
}

import Synchronization
