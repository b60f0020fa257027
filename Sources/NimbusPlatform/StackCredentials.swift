import Foundation

/// The gateway's API key and user. Explicit values win; otherwise the ones stored in the
/// data directory; otherwise new random ones, stored there so they stay the same.
public struct StackCredentials: Sendable, Equatable, Codable {
    public var apiKey: String
    public var username: String
    public var password: String

    public init(apiKey: String, username: String, password: String) {
        self.apiKey = apiKey
        self.username = username
        self.password = password
    }

    /// - Returns: the credentials and whether they were generated just now.
    public static func resolve(
        apiKey: String?, username: String?, password: String?, dataDirectory: String
    ) throws -> (StackCredentials, generated: Bool) {
        let path = "\(dataDirectory)/credentials.json"
        let stored = (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONDecoder().decode(StackCredentials.self, from: $0) }
        if let stored, apiKey == nil, username == nil, password == nil { return (stored, false) }
        let generated = StackCredentials(
            apiKey: apiKey ?? stored?.apiKey ?? Self.random(32),
            username: username ?? stored?.username ?? "nimbus",
            password: password ?? stored?.password ?? Self.random(20))
        if stored == nil {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let data = try JSONEncoder().encode(generated)
            // Generated secrets that were not stored would change at the next start.
            guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            return (generated, apiKey == nil || username == nil || password == nil)
        }
        return (generated, false)
    }

    private static func random(_ count: Int) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
