import Foundation
import NimbusCore
import Testing

@testable import NimbusGateway

struct ProxyResponseTests {
    static func map(_ json: String, _ api: HTTPRoute.API) -> ProxyResponse {
        ProxyResponse.map(payload: Data(json.utf8), api: api)
    }

    static func headers(_ response: ProxyResponse) -> [String] {
        response.headers.map { "\($0.name): \($0.value)" }
    }

    static let internalError = #"{"message":"Internal server error"}"#

    @Test(arguments: [HTTPRoute.API.rest, .http], [#"201"#, #""201""#])
    func proxyShapeWithNumberOrStringStatus(_ api: HTTPRoute.API, _ status: String) {
        let response = Self.map(#"{"statusCode": \#(status), "headers": {"Content-Type": "text/plain"}, "body": "created"}"#, api)
        #expect(response.status == 201)
        #expect(Self.headers(response) == ["Content-Type: text/plain"])
        #expect(String(decoding: response.body, as: UTF8.self) == "created")
    }

    @Test func multiValueHeadersWinOverHeadersOfTheSameName() {
        let response = Self.map(
            #"{"statusCode": 200, "headers": {"x-single": "1", "X-Both": "from-headers", "Content-Type": "text/html"},"#
                + #" "multiValueHeaders": {"x-both": ["a", "b"], "x-count": [1, 2]}}"#, .rest)
        #expect(Self.headers(response) == ["x-both: a", "x-both: b", "x-count: 1", "x-count: 2", "Content-Type: text/html", "x-single: 1"])
        #expect(response.body.isEmpty)
    }

    @Test func restDefaultsToJSONContentType() {
        #expect(Self.headers(Self.map(#"{"statusCode": 204}"#, .rest)) == ["Content-Type: application/json"])
    }

    @Test(arguments: [HTTPRoute.API.rest, .http])
    func base64BodiesAreDecoded(_ api: HTTPRoute.API) {
        let bytes = Data([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])
        let response = Self.map(#"{"statusCode": 200, "isBase64Encoded": true, "body": "\#(bytes.base64EncodedString())"}"#, api)
        #expect(response.status == 200)
        #expect(response.body == bytes)
    }

    @Test(arguments: [
        #"{"statusCode": "abc", "body": "x"}"#,
        #"{"statusCode": 99}"#,
        #"{"statusCode": 600}"#,
        #"{"statusCode": null}"#,
        #"{"statusCode": [200]}"#,
        #"{"statusCode": 200, "body": {"not": "a string"}}"#,
        #"{"statusCode": 200, "body": 5}"#,
        #"{"statusCode": 200, "isBase64Encoded": true, "body": "%%% not base64"}"#,
    ], [HTTPRoute.API.rest, .http])
    func invalidProxyShapesAre502(_ json: String, _ api: HTTPRoute.API) {
        let response = Self.map(json, api)
        #expect(response.status == 502)
        #expect(String(decoding: response.body, as: UTF8.self) == Self.internalError)
        #expect(Self.headers(response) == ["Content-Type: application/json"])
    }

    @Test(arguments: [#"{"hello": "world"}"#, #""just text""#, "42", "[1,2]", "", "not json"])
    func restRequiresTheProxyShape(_ json: String) {
        let response = Self.map(json, .rest)
        #expect(response.status == 502)
        #expect(String(decoding: response.body, as: UTF8.self) == Self.internalError)
    }

    @Test(arguments: [
        (#"{"hello": "world"}"#, #"{"hello": "world"}"#),
        (#""Hello from Lambda!""#, "Hello from Lambda!"),
        ("42", "42"),
        ("[1,2]", "[1,2]"),
    ])
    func httpAcceptsAnyJSONValueAs200(_ json: String, _ body: String) {
        let response = Self.map(json, .http)
        #expect(response.status == 200)
        #expect(Self.headers(response) == ["Content-Type: application/json"])
        #expect(String(decoding: response.body, as: UTF8.self) == body)
    }

    @Test func httpRejectsPayloadsThatAreNotJSON() {
        #expect(Self.map("not json", .http).status == 502)
    }

    @Test func httpCookiesBecomeSetCookieHeaders() {
        let json = #"{"statusCode": 200, "cookies": ["a=1; Path=/", "b=2"], "headers": {"Content-Type": "text/plain"}, "body": "ok"}"#
        #expect(Self.headers(Self.map(json, .http)) == ["Content-Type: text/plain", "Set-Cookie: a=1; Path=/", "Set-Cookie: b=2"])
        #expect(!Self.headers(Self.map(json, .rest)).contains { $0.hasPrefix("Set-Cookie") })
    }
}
