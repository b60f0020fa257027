/// What SigV4 needs of an HTTP request, exactly as it was received on the wire.
///
/// Path and query stay percent-encoded as sent: canonicalisation decides how to re-encode them, and a
/// server that decodes first would lose the difference between `/a%2Fb` and `/a/b`.
public struct SigV4Request: Sendable {
    public var method: String
    /// Percent-encoded path as sent, e.g. `/bucket/a%20b.txt`.
    public var rawPath: String
    /// Query string as sent, without the leading `?`.
    public var rawQuery: String
    /// Header fields in arrival order; repeated names stay repeated.
    public var headers: [(name: String, value: String)]

    public init(method: String, rawPath: String, rawQuery: String = "", headers: [(name: String, value: String)] = []) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
    }

    /// Splits a request target (`/path?query`) as it appears on the request line.
    public init(method: String, target: String, headers: [(name: String, value: String)] = []) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(
            method: method, rawPath: String(parts[0]), rawQuery: parts.count > 1 ? String(parts[1]) : "",
            headers: headers)
    }

    /// Every value of the header `name` (case-insensitive), in arrival order.
    func values(forHeader name: String) -> [String] {
        headers.filter { Self.name($0.name, is: name) }.map(\.value)
    }

    /// The first value of the header `name` (case-insensitive).
    func value(forHeader name: String) -> String? {
        headers.first { Self.name($0.name, is: name) }?.value
    }

    /// Whether the header name `received` lowercases to `lowercased`, without building the
    /// lowercased copy (done for every header on every lookup, that was most of a lookup's cost).
    static func name(_ received: String, is lowercased: String) -> Bool {
        var received = received.utf8.makeIterator()
        var expected = lowercased.utf8.makeIterator()
        while true {
            switch (received.next(), expected.next()) {
            case (nil, nil): return true
            case (let r?, let e?):
                if r == e { continue }
                // Only ASCII letters differ in case among the bytes of a header name we look for.
                guard r >= UInt8(ascii: "A"), r <= UInt8(ascii: "Z"), r | 0x20 == e else { return false }
            default: return false
            }
        }
    }
}
