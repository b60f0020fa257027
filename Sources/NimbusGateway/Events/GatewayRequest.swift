import Foundation
import NimbusCore

/// An HTTP request as the event builders need it: independent of the server library so the
/// mapping to API Gateway events is pure and tested without sockets.
public struct GatewayRequest: Sendable {
    public var method: String
    /// The path as received (percent-encoded).
    public var rawPath: String
    /// The query string as received, without `?`.
    public var rawQuery: String
    /// Header fields in order, names as received.
    public var headers: [(name: String, value: String)]
    public var body: Data
    public var sourceIP: String
    public var requestID: String
    public var receivedAt: Date

    public init(
        method: String, rawPath: String, rawQuery: String = "", headers: [(name: String, value: String)] = [],
        body: Data = Data(), sourceIP: String = "127.0.0.1", requestID: String = FastRandom.uuidString(),
        receivedAt: Date = Date()
    ) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.sourceIP = sourceIP
        self.requestID = requestID
        self.receivedAt = receivedAt
    }

    /// The decoded path used for route matching and `path`.
    public var path: String { Self.percentDecoded(rawPath) }

    /// The first field named `name`, ignoring ASCII case as HTTP does.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.utf8.elementsEqual(name.utf8) { Self.lowercased($0) == Self.lowercased($1) } }?.value
    }

    /// `text` with percent escapes decoded; as it is when it has none or they are malformed.
    /// Most paths have none, and Foundation's decoder is slow on Linux.
    public static func percentDecoded(_ text: some StringProtocol) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return text.removingPercentEncoding ?? String(text)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// Query parameters in order, decoded (`+` is a space, as in forms).
    public var queryItems: [(name: String, value: String)] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                Self.percentDecoded(text.contains("+") ? text.replacingOccurrences(of: "+", with: " ") : String(text))
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
