/// The tags of an object or a bucket: unique keys, each with a value, kept in key order (the order
/// S3 returns them in, whatever order they were sent in).
struct TagSet: Sendable, Equatable, Codable {
    struct Tag: Sendable, Equatable, Codable {
        var key: String
        var value: String
    }

    /// What is tagged: the limits and messages differ.
    enum Owner {
        case object, bucket

        var limit: Int { self == .object ? 10 : 50 }

        var tooManyMessage: String {
            self == .object ? "Object tags cannot be greater than 10" : "Bucket tag count cannot be greater than 50"
        }
    }

    static let maximumKeyLength = 128
    static let maximumValueLength = 256

    private(set) var tags: [Tag]

    static let empty = TagSet(trusted: [])

    var isEmpty: Bool { tags.isEmpty }
    var count: Int { tags.count }

    /// Tags already validated (read back from storage).
    init(trusted tags: [Tag]) {
        self.tags = tags
    }

    /// Validates tags as S3 does, in S3's order of checks: the count (BadRequest), then each key and
    /// value (InvalidTag), then duplicate keys (InvalidTag).
    init(validating pairs: [(key: String, value: String)], for owner: Owner) throws(S3Error) {
        guard pairs.count <= owner.limit else { throw S3Error("BadRequest", owner.tooManyMessage) }
        var seen = Set<String>()
        for (key, value) in pairs {
            guard Self.isValid(key, length: 1...Self.maximumKeyLength) else {
                throw S3Error("InvalidTag", "The TagKey you have provided is invalid", details: [("TagKey", key)])
            }
            guard Self.isValid(value, length: 0...Self.maximumValueLength) else {
                throw S3Error(
                    "InvalidTag", "The TagValue you have provided is invalid",
                    details: [("TagKey", key), ("TagValue", value)])
            }
            guard !key.lowercased().hasPrefix("aws:") else {
                throw S3Error(
                    "InvalidTag", "System tags cannot be added/updated by requester", details: [("TagKey", key)])
            }
            guard seen.insert(key).inserted else {
                throw S3Error(
                    "InvalidTag", "Cannot provide multiple Tags with the same key", details: [("TagKey", key)])
            }
        }
        tags = pairs.map { Tag(key: $0.key, value: $0.value) }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// AWS's tag alphabet: Unicode letters, numbers and spaces, and `_ . : / = + - @`. Lengths count
    /// UTF-16 code units, as S3 stores tags in UTF-16.
    static func isValid(_ text: String, length: ClosedRange<Int>) -> Bool {
        guard length.contains(text.utf16.count) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber, .spaceSeparator, .lineSeparator, .paragraphSeparator:
                return true
            default:
                return "_.:/=+-@".unicodeScalars.contains(scalar)
            }
        }
    }

    /// Whether every tag of `required` is in this set with the same value (lifecycle tag filters).
    func contains(_ required: [String: String]) -> Bool {
        required.allSatisfy { key, value in tags.contains { $0.key == key && $0.value == value } }
    }
}
