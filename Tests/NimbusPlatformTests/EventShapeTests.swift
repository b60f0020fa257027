import Foundation
import Testing

/// What a function receives through the gateway: API Gateway v1 and v2 events, end to end.
@Suite struct EventShapeTests {
    @Test("REST route: payload 1.0 with path parameters, query and authorizer claims")
    func restEvent() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.request(
            .put, "/api/items/42?tag=a&tag=b&single=x", headers: ["Authorization": "Bearer \(token)", "X-Custom": "yes"],
            body: Data("{\"k\":1}".utf8))
        #expect(reply.status == .ok)
        #expect(reply.headers[values: .init("X-Multi")!] == ["a", "b"])
        let event = reply.json
        #expect(event["resource"] as? String == "/api/items/{id}")
        #expect(event["path"] as? String == "/api/items/42")
        #expect(event["httpMethod"] as? String == "PUT")
        #expect((event["pathParameters"] as? [String: String]) == ["id": "42"])
        #expect((event["queryStringParameters"] as? [String: String])?["single"] == "x")
        #expect((event["multiValueQueryStringParameters"] as? [String: [String]])?["tag"] == ["a", "b"])
        #expect(event["body"] as? String == "{\"k\":1}")
        #expect(event["isBase64Encoded"] as? Bool == false)
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect((context["requestId"] as? String)?.count == 36)
        #expect(context["resourcePath"] as? String == "/api/items/{id}")
        let authorizer = try #require(context["authorizer"] as? [String: Any])
        #expect(authorizer["cognito:username"] as? String == LiveStack.username)
        #expect((authorizer["claims"] as? [String: Any])?["cognito:username"] as? String == LiveStack.username)
    }

    @Test("HTTP API route: payload 2.0 and a bare-object response")
    func httpEvent() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.request(.get, "/v2/a/b/c?x=1&x=2", headers: ["Authorization": "Bearer \(token)"])
        #expect(reply.status == .ok)
        #expect(reply.header("Content-Type") == "application/json")
        let event = try #require(reply.json["event"] as? [String: Any])
        #expect(event["version"] as? String == "2.0")
        #expect(event["routeKey"] as? String == "ANY /v2/{proxy+}")
        #expect(event["rawPath"] as? String == "/v2/a/b/c")
        #expect(event["rawQueryString"] as? String == "x=1&x=2")
        #expect((event["queryStringParameters"] as? [String: String])?["x"] == "1,2")
        #expect((event["pathParameters"] as? [String: String])?["proxy"] == "a/b/c")
        let http = try #require((event["requestContext"] as? [String: Any])?["http"] as? [String: Any])
        #expect(http["method"] as? String == "GET")
    }
}
