import Synchronization

/// `x-amz-request-id` values: 16 uppercase hex digits, unique per process run, cheap to make
/// (a random prefix and a counter, no syscall per request).
final class RequestIDGenerator: Sendable {
    private let counter = Atomic<UInt64>(0)
    private let prefix: UInt64 = .random(in: 0..<(1 << 24))

    func next() -> String {
        let sequence = counter.wrappingAdd(1, ordering: .relaxed).newValue & ((1 << 40) - 1)
        let value = prefix << 40 | sequence
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
