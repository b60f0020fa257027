import Foundation

/// The request id of one invocation (`aws_request_id`): a lowercase UUID, as AWS sends it.
public struct InvocationID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init() { rawValue = FastRandom.uuidString() }

    /// Accepts a UUID in its 8-4-4-4-12 hexadecimal form, either case.
    public init?(_ rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard bytes.count == 36 else { return nil }
        for (index, byte) in bytes.enumerated() {
            let valid = [8, 13, 18, 23].contains(index) ? byte == UInt8(ascii: "-") : byte.isHexDigit
            guard valid else { return nil }
        }
        self.rawValue = rawValue.lowercased()
    }

    public var description: String { rawValue }
}

private extension UInt8 {
    var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}

/// Identifies one worker process within the whole stack.
public struct WorkerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int

    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public var description: String { "w\(rawValue)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
