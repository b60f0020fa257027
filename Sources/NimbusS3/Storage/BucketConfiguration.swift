import Foundation

/// What a bucket remembers besides its objects, persisted as `bucket.json` in its directory.
struct BucketConfiguration: Codable, Sendable, Equatable {
    /// Unix seconds.
    var creationDate: Int64
    /// `LocationConstraint` given at creation; `us-east-1` when none was.
    var region: String
    /// The lifecycle document as written, if any.
    var lifecycleXML: String?

    static let fileName = "bucket.json"

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }

    static func decode(_ bytes: [UInt8]) throws -> BucketConfiguration {
        try JSONDecoder().decode(BucketConfiguration.self, from: Data(bytes))
    }
}
