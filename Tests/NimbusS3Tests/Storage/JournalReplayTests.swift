import Foundation
import Testing

@testable import NimbusS3

@Suite struct JournalReplayTests {
    final class Fixture {
        let directory: TemporaryDirectory
        var root: String { directory.path + "/buckets" }

        init(buckets: [String] = ["bkt"]) throws {
            directory = try TemporaryDirectory()
            for bucket in buckets {
                for subdirectory in DiskBucket.subdirectories {
                    try FileManager.default.createDirectory(
                        atPath: directory.path + "/buckets/" + bucket + "/" + subdirectory, withIntermediateDirectories: true)
                }
            }
        }

        func objectPath(_ key: String, bucket: String = "bkt") -> String {
            root + "/" + bucket + "/objects/" + DiskBucket.fileName(for: ObjectKey(trusted: key))
        }

        func stage(_ name: String, _ content: String, bucket: String = "bkt") throws {
            try Data(content.utf8).write(to: URL(fileURLWithPath: root + "/" + bucket + "/staging/" + name))
        }

        func content(_ key: String, bucket: String = "bkt") -> String? {
            FileManager.default.contents(atPath: objectPath(key, bucket: bucket)).map { String(decoding: $0, as: UTF8.self) }
        }

        /// Every file under the buckets directory with its bytes.
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            let enumerator = try #require(FileManager.default.enumerator(atPath: root))
            while let path = enumerator.nextObject() as? String {
                if let data = FileManager.default.contents(atPath: root + "/" + path) { files[path] = data }
            }
            return files
        }
    }

    static func entries(_ records: [JournalRecord]) -> [JournalEntry] {
        records.enumerated().map { JournalEntry(generation: 1, sequence: UInt64($0.offset + 1), record: $0.element) }
    }

    static func put(_ key: String, _ content: String, bucket: String = "bkt") -> JournalRecord {
        JournalRecord(bucket: bucket, key: key, change: .put(objectFile: Array(content.utf8)))
    }

    @Test func eachKeyEndsInItsLastRecordsState() throws {
        let fixture = try Fixture()
        try fixture.stage("tmp-large-2", "large v2")
        try fixture.stage("tmp-large-4", "large v4")
        try Data("stale".utf8).write(to: URL(fileURLWithPath: fixture.objectPath("deleted")))
        try Data("published before the crash".utf8).write(to: URL(fileURLWithPath: fixture.objectPath("renamed")))
        let records = [
            Self.put("k", "v1"),
            JournalRecord(bucket: "bkt", key: "k", change: .publish(stagedFile: "tmp-large-2")),
            JournalRecord(bucket: "bkt", key: "k", change: .delete),
            Self.put("k", "v3"),
            Self.put("deleted", "v1"),
            JournalRecord(bucket: "bkt", key: "deleted", change: .delete),
            Self.put("published", "v1"),
            JournalRecord(bucket: "bkt", key: "published", change: .publish(stagedFile: "tmp-large-4")),
            // Its staged file is gone: the rename happened, and the earlier put must not undo it.
            Self.put("renamed", "v1"),
            JournalRecord(bucket: "bkt", key: "renamed", change: .publish(stagedFile: "tmp-already-renamed")),
        ]
        try JournalRecovery.replay(Self.entries(records), bucketsRoot: fixture.root)
        #expect(fixture.content("k") == "v3")
        #expect(fixture.content("deleted") == nil)
        #expect(fixture.content("published") == "large v4")
        #expect(fixture.content("renamed") == "published before the crash")
    }

    @Test func replayingTwiceIsReplayingOnce() throws {
        let fixture = try Fixture()
        try fixture.stage("tmp-large-1", "large")
        let records = [
            Self.put("a", "a1"), JournalRecord(bucket: "bkt", key: "big", change: .publish(stagedFile: "tmp-large-1")),
            Self.put("c", "c1"), JournalRecord(bucket: "bkt", key: "c", change: .delete), Self.put("a", "a2"),
        ]
        try JournalRecovery.replay(Self.entries(records), bucketsRoot: fixture.root)
        let once = try fixture.snapshot().filter { !$0.key.contains("staging/") }
        try JournalRecovery.replay(Self.entries(records), bucketsRoot: fixture.root)
        let twice = try fixture.snapshot().filter { !$0.key.contains("staging/") }
        #expect(once == twice)
        #expect(fixture.content("a") == "a2")
        #expect(fixture.content("big") == "large")
        #expect(fixture.content("c") == nil)
    }

    @Test func recordsOfMissingBucketsAreSkipped() throws {
        let fixture = try Fixture(buckets: ["bkt"])
        let records = [
            Self.put("x", "x", bucket: "deleted-bucket"), Self.put("y", "y"),
            JournalRecord(bucket: "../escape", key: "z", change: .put(objectFile: [1])),
            JournalRecord(bucket: "bkt", key: "w", change: .publish(stagedFile: "../../../etc/passwd")),
        ]
        #expect(try JournalRecovery.replay(Self.entries(records), bucketsRoot: fixture.root) == 1)
        #expect(fixture.content("y") == "y")
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/deleted-bucket"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root) == ["bkt"])
    }
}
