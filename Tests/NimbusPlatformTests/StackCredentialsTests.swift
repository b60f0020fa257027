import Foundation
import Testing

@testable import NimbusPlatform

/// The gateway's API key and user: explicit, stored, or generated once and stored.
@Suite struct StackCredentialsTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "nimbus-credentials-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func generatedCredentialsAreStoredAndReused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (first, generated) = try StackCredentials.resolve(apiKey: nil, username: nil, password: nil, dataDirectory: directory)
        #expect(generated)
        #expect(first.apiKey.count == 32 && first.password.count == 20)
        let (second, generatedAgain) = try StackCredentials.resolve(apiKey: nil, username: nil, password: nil, dataDirectory: directory)
        #expect(second == first)
        #expect(!generatedAgain)
    }

    @Test func explicitValuesWin() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try StackCredentials.resolve(apiKey: nil, username: nil, password: nil, dataDirectory: directory)
        let (explicit, _) = try StackCredentials.resolve(apiKey: "key", username: "me", password: "pw", dataDirectory: directory)
        #expect(explicit == StackCredentials(apiKey: "key", username: "me", password: "pw"))
    }

    @Test func credentialsThatCannotBeStoredAreAnError() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory where the file should go: generated secrets could not be kept.
        try FileManager.default.createDirectory(atPath: directory + "/credentials.json", withIntermediateDirectories: true)
        #expect(throws: (any Error).self) {
            try StackCredentials.resolve(apiKey: nil, username: nil, password: nil, dataDirectory: directory)
        }
    }
}
