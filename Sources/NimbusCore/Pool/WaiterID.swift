/// Identifies one caller waiting for a worker. The executor allocates these; the pool only
/// compares them, so they need to be unique within one pool only.
public struct WaiterID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(_ raw: Int) { self.rawValue = raw }

    public var description: String { "waiter\(rawValue)" }
}
