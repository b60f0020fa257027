import Foundation
import NimbusCore
import Testing

@testable import NimbusGateway

/// API Gateway REST API events (payload format 1.0).
struct RESTEventTests {
    static let route = HTTPRoute(api: .rest, path: "/items/{id}", method: "POST", function: name("echo"))
    static let match = RouteTable.Match(route: route, pathParameters: ["id": "42"])

    static func event(_ request: GatewayRequest, match: RouteTable.Match = match, caller: APIGatewayEvent.Caller? = nil) throws -> [String: Any] {
        try jsonObject(APIGatewayEvent(accountID: "123456789012", apiID: "api1", stage: "Prod").payload(for: request, match: match, caller: caller))
    }

    static let request = GatewayRequest(
        method: "POST", rawPath: "/items/42", rawQuery: "color=red&size=L&color=blue&q=a+b%21&flag",
        headers: [("Host", "api.example.com"), ("User-Agent", "curl/8"), ("X-Multi", "one"), ("X-Multi", "two")],
        body: Data(#"{"hello":"world"}"#.utf8), sourceIP: "203.0.113.9", requestID: "req-1", receivedAt: fixedNow)

    @Test func topLevelFields() throws {
        let event = try Self.event(Self.request)
        #expect(event["resource"] as? String == "/items/{id}")
        #expect(event["path"] as? String == "/items/42")
        #expect(event["httpMethod"] as? String == "POST")
        #expect(event["pathParameters"] as? [String: String] == ["id": "42"])
        #expect(event["stageVariables"] is NSNull)
        #expect(event["body"] as? String == #"{"hello":"world"}"#)
        #expect(event["isBase64Encoded"] as? Bool == false)
    }

    @Test func headersKeepTheLastValueAndMultiValueHeadersKeepAll() throws {
        let event = try Self.event(Self.request)
        let headers = try #require(event["headers"] as? [String: String])
        #expect(headers["X-Multi"] == "two")
        #expect(headers["Host"] == "api.example.com")
        let multi = try #require(event["multiValueHeaders"] as? [String: [String]])
        #expect(multi["X-Multi"] == ["one", "two"])
        #expect(multi["User-Agent"] == ["curl/8"])
    }

    @Test func queryParametersKeepTheLastValueAndMultiValueKeepsRepeats() throws {
        let event = try Self.event(Self.request)
        let query = try #require(event["queryStringParameters"] as? [String: String])
        #expect(query == ["color": "blue", "size": "L", "q": "a b!", "flag": ""])
        let multi = try #require(event["multiValueQueryStringParameters"] as? [String: [String]])
        #expect(multi["color"] == ["red", "blue"])
        #expect(multi["size"] == ["L"])
    }

    @Test func absentCollectionsAreNull() throws {
        let bare = GatewayRequest(method: "GET", rawPath: "/items")
        let event = try Self.event(bare, match: .init(route: HTTPRoute(api: .rest, path: "/items", method: "GET", function: name("echo")), pathParameters: [:]))
        for key in ["headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "body"] {
            #expect(event[key] is NSNull, "\(key) should be null")
        }
        #expect(event["isBase64Encoded"] as? Bool == false)
    }

    @Test func requestContext() throws {
        let event = try Self.event(Self.request)
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect(context["requestId"] as? String == "req-1")
        #expect(context["resourcePath"] as? String == "/items/{id}")
        #expect(context["httpMethod"] as? String == "POST")
        #expect(context["stage"] as? String == "Prod")
        #expect(context["path"] as? String == "/Prod/items/42")
        #expect(context["accountId"] as? String == "123456789012")
        #expect(context["apiId"] as? String == "api1")
        #expect(context["domainName"] as? String == "api.example.com")
        #expect(context["domainPrefix"] as? String == "api")
        #expect(context["requestTime"] as? String == "14/Nov/2023:22:13:20 +0000")
        #expect((context["requestTimeEpoch"] as? NSNumber)?.int64Value == 1_700_000_000_000)
        #expect(context["authorizer"] == nil)
        let identity = try #require(context["identity"] as? [String: Any])
        #expect(identity["sourceIp"] as? String == "203.0.113.9")
        #expect(identity["userAgent"] as? String == "curl/8")
    }

    @Test func authorizerCarriesTheCognitoClaims() throws {
        let claims = ["cognito:username": "alice", "sub": "abc", "token_use": "id"]
        let event = try Self.event(Self.request, caller: .init(username: "alice", claims: claims))
        let context = try #require(event["requestContext"] as? [String: Any])
        let authorizer = try #require(context["authorizer"] as? [String: Any])
        #expect(authorizer["claims"] as? [String: String] == claims)
        #expect((authorizer["claims"] as? [String: String])?["cognito:username"] == "alice")
        #expect(authorizer["principalId"] as? String == "alice")
    }

    @Test func bodiesThatAreNotUTF8AreBase64() throws {
        let bytes = Data([0xff, 0xfe, 0x00, 0x80])
        var request = Self.request
        request.body = bytes
        let event = try Self.event(request)
        #expect(event["isBase64Encoded"] as? Bool == true)
        #expect(event["body"] as? String == bytes.base64EncodedString())
    }

    @Test(arguments: [
        (0.0, "01/Jan/1970:00:00:00 +0000"),
        (1_428_582_896, "09/Apr/2015:12:34:56 +0000"),
        (1_709_251_199, "29/Feb/2024:23:59:59 +0000"),
        (1_700_000_000.999, "14/Nov/2023:22:13:20 +0000"),
    ])
    func clfTime(_ seconds: Double, _ text: String) {
        #expect(APIGatewayEvent.clfTime(Date(timeIntervalSince1970: seconds)) == text)
    }
}
