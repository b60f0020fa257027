/// An object key: any UTF-8 string of 1…1024 bytes without NUL, compared byte-wise.
///
/// Swift's `String ==` and `<` use Unicode canonical equivalence; S3 does not (`é` precomposed and
/// decomposed are two keys, and listings are in UTF-8 binary order), so equality, hashing and
/// ordering here are over the UTF-8 bytes.
struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    static let maximumLength = 1024

    let string: String

    /// Validates a decoded key; S3's errors for the bad ones.
    init(validating string: String) throws(S3Error) {
        let length = string.utf8.count
        guard length > 0 else { throw S3Error.invalidArgument("Object key must not be empty", name: "key") }
        guard length <= Self.maximumLength else { throw S3Error.keyTooLong(length) }
        guard !string.utf8.contains(0) else {
            throw S3Error.invalidArgument("Object key must not contain NUL characters", name: "key")
        }
        self.string = string
    }

    /// A key read back from storage, already validated when it was written.
    init(trusted string: String) {
        self.string = string
    }

    var description: String { string }

    func hasPrefix(_ prefix: String) -> Bool {
        string.utf8.starts(with: prefix.utf8)
    }

    static func == (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var string = self.string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// UTF-8 binary order, S3's listing order.
    func precedesInBinaryOrder(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
