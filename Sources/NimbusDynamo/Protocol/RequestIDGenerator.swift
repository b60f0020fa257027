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
        var bytes = prefix
        var suffix = [UInt8](repeating: Self.alphabet[0], count: 13)
        var i = 12
        while value > 0, i >= 0 {
            suffix[i] = Self.alphabet[Int(value % 36)]
            value /= 36
            i -= 1
        }
        bytes += suffix
        return String(decoding: bytes, as: UTF8.self)
    }
}
