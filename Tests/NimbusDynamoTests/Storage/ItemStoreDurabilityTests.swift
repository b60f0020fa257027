import Foundation
import Testing

@testable import NimbusDynamo

@Suite struct ItemStoreDurabilityTests {
    /// SQLite's `synchronous` setting of a freshly opened store (1 = NORMAL, 2 = FULL).
    static func synchronousLevel(flushEveryCommit: Bool) throws -> Int64 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-ddb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ItemStore(path: directory + "/dynamodb.sqlite3", flushEveryCommit: flushEveryCommit)
        defer { store.close() }
        let statement = try store.database.statement("PRAGMA synchronous")
        defer { statement.reset() }
        #expect(try statement.step())
        return statement.int64(0)
    }

    @Test func everyCommitIsFlushedByDefault() throws {
        #expect(try Self.synchronousLevel(flushEveryCommit: true) == 2)
    }

    @Test func processDurabilityLeavesFlushingToCheckpoints() throws {
        #expect(try Self.synchronousLevel(flushEveryCommit: false) == 1)
    }
}
