import Foundation
import NimbusCore
import Testing

@testable import NimbusGateway

/// API Gateway HTTP API events (payload format 2.0).
struct HTTPAPIEventTests {
    static let route = HTTPRoute(api: .http, path: "/v2/items/{id}", method: "PUT", function: name("echo"))
    static let match = RouteTable.Match(route: route, pathParameters: ["id": "a b"])

    static func event(_ request: GatewayRequest, match: RouteTable.Match = match, caller: APIGatewayEvent.Caller? = nil) throws -> [String: Any] {
        try jsonObject(APIGatewayEvent(accountID: "123456789012", apiID: "api1").payload(for: request, match: match, caller: caller))
    }

    static let request = GatewayRequest(
        method: "PUT", rawPath: "/v2/items/a%20b", rawQuery: "tag=x&tag=y&one=1",
        headers: [
            ("Host", "api.example.com"), ("User-Agent", "curl/8"), ("X-Multi", "one"), ("x-multi", "two"),
            ("Cookie", "session=abc; theme=dark"), ("Content-Type", "application/json"),
        ],
        body: Data(#"{"n":1}"#.utf8), sourceIP: "198.51.100.7", requestID: "req-2", receivedAt: fixedNow)

    @Test func topLevelFields() throws {
        let event = try Self.event(Self.request)
        #expect(event["version"] as? String == "2.0")
        #expect(event["routeKey"] as? String == "PUT /v2/items/{id}")
        #expect(event["rawPath"] as? String == "/v2/items/a%20b")
        #expect(event["rawQueryString"] as? String == "tag=x&tag=y&one=1")
        #expect(event["pathParameters"] as? [String: String] == ["id": "a b"])
        #expect(event["body"] as? String == #"{"n":1}"#)
        #expect(event["isBase64Encoded"] as? Bool == false)
    }

    @Test func headersAreLowercasedAndRepeatsCommaJoined() throws {
        let headers = try #require(try Self.event(Self.request)["headers"] as? [String: String])
        #expect(headers["x-multi"] == "one,two")
        #expect(headers["host"] == "api.example.com")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["Host"] == nil)
        #expect(headers["cookie"] == nil, "cookies travel in `cookies`, not in headers")
    }

    @Test func cookiesAreSplit() throws {
        #expect(try Self.event(Self.request)["cookies"] as? [String] == ["session=abc", "theme=dark"])
    }

    @Test func queryParametersAreCommaJoined() throws {
        #expect(try Self.event(Self.request)["queryStringParameters"] as? [String: String] == ["tag": "x,y", "one": "1"])
    }

    @Test func absentOptionalFieldsAreOmitted() throws {
        let bare = GatewayRequest(method: "GET", rawPath: "/v2")
        let route = HTTPRoute(api: .http, path: "/v2", method: nil, function: name("echo"))
        let event = try Self.event(bare, match: .init(route: route, pathParameters: [:]))
        for key in ["cookies", "queryStringParameters", "pathParameters", "body"] {
            #expect(event[key] == nil, "\(key) should be absent")
        }
        #expect(event["routeKey"] as? String == "ANY /v2")
        #expect(event["rawQueryString"] as? String == "")
        #expect(event["headers"] as? [String: String] == [:])
    }

    @Test func requestContext() throws {
        let context = try #require(try Self.event(Self.request)["requestContext"] as? [String: Any])
        #expect(context["requestId"] as? String == "req-2")
        #expect(context["routeKey"] as? String == "PUT /v2/items/{id}")
        #expect(context["stage"] as? String == "$default")
        #expect(context["accountId"] as? String == "123456789012")
        #expect(context["apiId"] as? String == "api1")
        #expect(context["domainName"] as? String == "api.example.com")
        #expect(context["time"] as? String == "14/Nov/2023:22:13:20 +0000")
        #expect((context["timeEpoch"] as? NSNumber)?.int64Value == 1_700_000_000_000)
        #expect(context["authorizer"] == nil)
        let http = try #require(context["http"] as? [String: String])
        #expect(http == ["method": "PUT", "path": "/v2/items/a b", "protocol": "HTTP/1.1", "sourceIp": "198.51.100.7", "userAgent": "curl/8"])
    }

    @Test func authorizerCarriesJWTClaims() throws {
        let claims = ["cognito:username": "alice", "sub": "abc"]
        let context = try #require(try Self.event(Self.request, caller: .init(username: "alice", claims: claims))["requestContext"] as? [String: Any])
        let authorizer = try #require(context["authorizer"] as? [String: Any])
        let jwt = try #require(authorizer["jwt"] as? [String: Any])
        #expect(jwt["claims"] as? [String: String] == claims)
        #expect(jwt["scopes"] is NSNull)
    }

    @Test(arguments: [
        ("text/plain; charset=utf-8", false),
        ("application/json", false),
        ("application/vnd.api+json", false),
        ("application/xml", false),
        ("application/x-www-form-urlencoded", false),
        ("application/octet-stream", true),
        ("image/png", true),
    ])
    func binaryContentTypesAreBase64(_ contentType: String, _ isBase64: Bool) throws {
        let body = Data("plain text".utf8)
        let request = GatewayRequest(method: "POST", rawPath: "/v2", headers: [("Content-Type", contentType)], body: body)
        let event = try Self.event(request)
        #expect(event["isBase64Encoded"] as? Bool == isBase64)
        #expect(event["body"] as? String == (isBase64 ? body.base64EncodedString() : "plain text"))
    }

    @Test func textTypedBodiesThatAreNotUTF8AreBase64() throws {
        let bytes = Data([0xc3, 0x28, 0xff])
        let request = GatewayRequest(method: "POST", rawPath: "/v2", headers: [("Content-Type", "text/plain")], body: bytes)
        let event = try Self.event(request)
        #expect(event["isBase64Encoded"] as? Bool == true)
        #expect(event["body"] as? String == bytes.base64EncodedString())
    }
}
