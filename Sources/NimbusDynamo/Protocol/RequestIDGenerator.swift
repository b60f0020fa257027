import Synchronization

/// DynamoDB-style 52-character request ids: a random per-process prefix and a counter. Drawing 52
/// random characters per request cost more than the GetItem it labelled (one getrandom syscall
/// each); uniqueness is all clients need.
final class RequestIDGenerator: Sendable {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    private let prefix: [UInt8]
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        prefix = (0..<39).map { _ in Self.alphabet[Int(generator.next(upperBound: UInt32(Self.alphabet.count)))] }
    }

    func next() -> String {
        var value = counter.wrappingAdd(1, ordering: .relaxed).newValue
        // Written straight into the String's storage: no intermediate arrays.
        return String(unsafeUninitializedCapacity: prefix.count + 13) { out in
            for (i, byte) in prefix.enumerated() { out[i] = byte }
            var i = prefix.count + 12
            while i >= prefix.count {
                out[i] = Self.alphabet[Int(value % 36)]
                value /= 36
                i -= 1
            }
            return prefix.count + 13
        }
    }
}
