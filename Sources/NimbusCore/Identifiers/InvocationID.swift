import Foundation

/// The request id of one invocation (`aws_request_id`): a lowercase UUID, as AWS sends it.
public struct InvocationID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init() { rawValue = UUID().uuidString.lowercased() }

    public init?(_ rawValue: String) {
        guard UUID(uuidString: rawValue) != nil else { return nil }
        self.rawValue = rawValue.lowercased()
    }

    public var description: String { rawValue }
}

/// Identifies one worker process within the whole stack.
public struct WorkerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int

    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public var description: String { "w\(rawValue)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
