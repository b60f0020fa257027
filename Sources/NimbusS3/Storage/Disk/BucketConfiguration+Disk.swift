import Foundation

/// A bucket's configuration on disk: `bucket.json` in its directory.
extension BucketConfiguration {
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
