import Foundation
import NimbusCore

/// Turns a function's answer into the HTTP response API Gateway would send.
public struct ProxyResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    /// A JSON error body in API Gateway's shape (`{"message": …}`) plus optional fields.
    public static func error(_ status: Int, _ message: String, extra: [String: String] = [:]) -> ProxyResponse {
        var object: [String: JSONValue] = ["message": .string(message)]
        for (key, value) in extra { object[key] = .string(value) }
        return ProxyResponse(
            status: status, headers: [("Content-Type", "application/json")], body: JSONValue.object(object).jsonData())
    }

    /// Maps a successful invocation's payload. REST APIs require the proxy shape
    /// (`statusCode`, …) and answer 502 otherwise; HTTP APIs (2.0) also accept any other
    /// JSON value as a 200 `application/json` body.
    public static func map(payload: Data, api: HTTPRoute.API) -> ProxyResponse {
        let parsed = try? JSONValue.parse(payload)
        if let object = parsed?.objectValue, object["statusCode"] != nil {
            return proxyShape(object, api: api) ?? malformed
        }
        guard api == .http, let parsed else { return malformed }
        if let text = parsed.stringValue {
            return ProxyResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(text.utf8))
        }
        return ProxyResponse(status: 200, headers: [("Content-Type", "application/json")], body: payload)
    }

    private static let malformed = ProxyResponse.error(502, "Internal server error")

    private static func proxyShape(_ object: [String: JSONValue], api: HTTPRoute.API) -> ProxyResponse? {
        let status: Int
        switch object["statusCode"] {
        case .number(let number)?: guard let value = Int(exactly: number) else { return nil }; status = value
        case .string(let text)?: guard let value = Int(text) else { return nil }; status = value
        default: return nil
        }
        guard (100...599).contains(status) else { return nil }
        var headers: [(name: String, value: String)] = []
        var seen = Set<String>()
        if let multi = object["multiValueHeaders"]?.objectValue {
            for (name, values) in multi.sorted(by: { $0.key < $1.key }) {
                for value in values.arrayValue ?? [] { headers.append((name, Self.text(value))) }
                seen.insert(name.lowercased())
            }
        }
        if let single = object["headers"]?.objectValue {
            for (name, value) in single.sorted(by: { $0.key < $1.key }) where !seen.contains(name.lowercased()) {
                headers.append((name, Self.text(value)))
            }
        }
        if api == .http, let cookies = object["cookies"]?.arrayValue {
            headers += cookies.compactMap(\.stringValue).map { ("Set-Cookie", $0) }
        }
        var body = Data()
        switch object["body"] {
        case .string(let text)?:
            if object["isBase64Encoded"] == .bool(true) {
                guard let decoded = Data(base64Encoded: text) else { return nil }
                body = decoded
            } else {
                body = Data(text.utf8)
            }
        case nil, .null?: break
        default: return nil
        }
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", api == .http ? "text/plain; charset=utf-8" : "application/json"))
        }
        return ProxyResponse(status: status, headers: headers, body: body)
    }

    /// A header value as text: numbers without a needless fraction, booleans as words.
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: ""
        case .array, .object: String(decoding: value.jsonData(), as: UTF8.self)
        }
    }
}
