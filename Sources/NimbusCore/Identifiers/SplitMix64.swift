/// SplitMix64: a tiny seeded generator, so a randomized run (an invariant or fuzz test) can be
/// replayed from its seed. Not for secrets.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// The output function: a bijection on 64-bit values, so distinct states give distinct outputs.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
