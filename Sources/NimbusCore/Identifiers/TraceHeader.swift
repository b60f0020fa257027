import Foundation

/// An X-Ray trace header (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=…;Sampled=1`).
///
/// Unknown fields are kept so a header survives a round trip unchanged.
public struct TraceHeader: Hashable, Sendable, CustomStringConvertible {
    public var root: String
    public var parent: String?
    public var sampled: String?
    public var extra: [(String, String)] { _extra.map { ($0.key, $0.value) } }
    private var _extra: [Field]

    private struct Field: Hashable, Sendable {
        var key: String
        var value: String
    }

    public init(root: String, parent: String? = nil, sampled: String? = nil) {
        self.root = root
        self.parent = parent
        self.sampled = sampled
        self._extra = []
    }

    /// Parses a header; returns nil when it has no `Root`.
    public init?(parsing header: String) {
        var root: String?
        var parent: String?
        var sampled: String?
        var extra: [Field] = []
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[1].isEmpty else { continue }
            switch pair[0] {
            case "Root": root = pair[1]
            case "Parent": parent = pair[1]
            case "Sampled": sampled = pair[1]
            default: extra.append(Field(key: pair[0], value: pair[1]))
            }
        }
        guard let root else { return nil }
        self.root = root
        self.parent = parent
        self.sampled = sampled
        self._extra = extra
    }

    /// A fresh root in X-Ray's format: version 1, epoch seconds in hex, 96 random bits.
    public static func generate(now: Date = Date()) -> TraceHeader {
        let epoch = String(UInt32(now.timeIntervalSince1970), radix: 16)
        let bits = FastRandom.hex(FastRandom.next() & 0xFFFF_FFFF, digits: 8) + FastRandom.hex(FastRandom.next(), digits: 16)
        return TraceHeader(root: "1-\(epoch)-\(bits)", sampled: "0")
    }

    public var description: String {
        var parts = ["Root=\(root)"]
        if let parent { parts.append("Parent=\(parent)") }
        if let sampled { parts.append("Sampled=\(sampled)") }
        for field in _extra { parts.append("\(field.key)=\(field.value)") }
        return parts.joined(separator: ";")
    }
}
