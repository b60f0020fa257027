import Synchronization

/// Random-looking, never-repeating 64-bit values for request and trace ids, without a system
/// call per id (the system generator costs one `getrandom` per value, several per request).
///
/// SplitMix64 over an atomic counter from a random start: the mix is a bijection, so distinct
/// counts never give the same value within a process. Not for secrets: tokens and keys use
/// the system generator.
public enum FastRandom {
    private static let state = Atomic<UInt64>({
        var system = SystemRandomNumberGenerator()
        return system.next()
    }())

    public static func next() -> UInt64 {
        SplitMix64.mix(state.wrappingAdd(SplitMix64.increment, ordering: .relaxed).newValue)
    }

    /// A version 4 UUID in lowercase, as AWS writes request ids.
    public static func uuidString() -> String {
        let high = (next() & ~0xF000) | 0x4000
        let low = (next() & ~(0x3 << 62)) | (0x2 << 62)
        var text = hex(high, digits: 16) + hex(low, digits: 16)
        for offset in [8, 13, 18, 23] { text.insert("-", at: text.index(text.startIndex, offsetBy: offset)) }
        return text
    }

    /// `value` in lowercase hexadecimal, zero-padded to `digits`.
    public static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}
