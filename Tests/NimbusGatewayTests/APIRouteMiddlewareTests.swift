import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NimbusCore
import Testing

@testable import NimbusGateway

struct APIRouteMiddlewareTests {
    let issuer = TokenIssuer(key: P256.Signing.PrivateKey())

    static let routes = RouteTable(routes: [
        HTTPRoute(api: .rest, path: "/items/{id}", method: "GET", function: name("items")),
        HTTPRoute(api: .http, path: "/v2/{proxy+}", method: nil, function: name("v2")),
    ])

    static let functions = ["items", "v2"].map {
        FunctionConfiguration(name: name($0), logicalID: $0, runtime: "python3.12", handler: "app.handler", codePath: "/tmp/\($0)")
    }

    static let proxyAnswer = #"{"statusCode": 201, "headers": {"X-From": "function"}, "body": "made"}"#

    func withApp(
        _ dispatcher: FakeDispatcher, authEnabled: Bool = true, maximumBodySize: Int = 1024,
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var configuration = GatewayConfiguration()
        configuration.authEnabled = authEnabled
        configuration.maximumBodySize = maximumBodySize
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: APIRouteMiddleware(
            routes: Self.routes, dispatcher: dispatcher, authenticator: BearerAuthenticator(issuer: issuer),
            configuration: configuration, logger: Logger(label: "test")))
        HealthController().addRoutes(to: router)
        try await Application(router: router).test(.router, test)
    }

    var bearer: HTTPFields { [.authorization: "Bearer \(issuer.issue(username: "alice", use: .access))"] }

    static func message(_ response: TestResponse) throws -> String? {
        try jsonObject(response.body)["message"] as? String
    }

    @Test func routedRequestReachesTheFunctionAsAnEvent() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions, handler: FakeDispatcher.answering(Self.proxyAnswer))
        try await withApp(dispatcher) { client in
            let response = try await client.execute(uri: "/items/42?color=red", method: .get, headers: bearer)
            #expect(response.status == .created)
            #expect(String(buffer: response.body) == "made")
            #expect(response.headers[HTTPField.Name("X-From")!] == "function")

            let invocation = try #require(dispatcher.recorder.invoked.first)
            #expect(dispatcher.recorder.invoked.count == 1)
            #expect(invocation.function == name("items"))
            let event = try jsonObject(invocation.payload)
            #expect(event["resource"] as? String == "/items/{id}")
            #expect(event["pathParameters"] as? [String: String] == ["id": "42"])
            #expect(event["queryStringParameters"] as? [String: String] == ["color": "red"])
            let context = try #require(event["requestContext"] as? [String: Any])
            let claims = (context["authorizer"] as? [String: Any])?["claims"] as? [String: String]
            #expect(claims?["cognito:username"] == "alice")
            #expect(response.headers[HTTPField.Name("x-amzn-RequestId")!] == context["requestId"] as? String)
            #expect(response.headers[HTTPField.Name("X-Amzn-Trace-Id")!]?.hasPrefix("Root=1-") == true)
        }
    }

    @Test func httpAPIRoutesGetVersion2Events() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions, handler: FakeDispatcher.answering(#"{"plain": "object"}"#))
        try await withApp(dispatcher) { client in
            let response = try await client.execute(uri: "/v2/a/b", method: .delete, headers: bearer)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"plain": "object"}"#)
            let event = try jsonObject(try #require(dispatcher.recorder.invoked.first).payload)
            #expect(event["version"] as? String == "2.0")
            #expect(event["routeKey"] as? String == "ANY /v2/{proxy+}")
            #expect(event["pathParameters"] as? [String: String] == ["proxy": "a/b"])
        }
    }

    @Test(arguments: [nil, "Bearer nope", "Basic YWxpY2U6cw=="])
    func routesNeedAValidToken(_ authorization: String?) async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions)
        try await withApp(dispatcher) { client in
            var headers: HTTPFields = [:]
            if let authorization { headers[.authorization] = authorization }
            let response = try await client.execute(uri: "/items/42", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/json")
            #expect(try Self.message(response) == "Unauthorized")
            #expect(dispatcher.recorder.invoked.isEmpty)
        }
    }

    @Test func refreshTokensDoNotOpenRoutes() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions)
        try await withApp(dispatcher) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(issuer.issue(username: "alice", use: .refresh))"]
            let response = try await client.execute(uri: "/items/42", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func unknownRouteIs404JSON() async throws {
        try await withApp(FakeDispatcher(functions: Self.functions)) { client in
            for headers in [bearer, [:]] {
                let response = try await client.execute(uri: "/nowhere", method: .get, headers: headers)
                #expect(response.status == .notFound)
                #expect(try Self.message(response) == "Not Found")
            }
        }
    }

    @Test func otherMethodOnAKnownPath() async throws {
        try await withApp(FakeDispatcher(functions: Self.functions)) { client in
            let anonymous = try await client.execute(uri: "/items/42", method: .post)
            #expect(anonymous.status == .unauthorized)
            let authenticated = try await client.execute(uri: "/items/42", method: .post, headers: bearer)
            #expect(authenticated.status == .notFound)
            #expect(try Self.message(authenticated) == "Not Found")
        }
    }

    @Test func gatewayRoutesNeedNoToken() async throws {
        try await withApp(FakeDispatcher(functions: Self.functions)) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
        }
    }

    @Test func disabledAuthNeedsNoToken() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions, handler: FakeDispatcher.answering(Self.proxyAnswer))
        try await withApp(dispatcher, authEnabled: false) { client in
            let response = try await client.execute(uri: "/items/7", method: .get)
            #expect(response.status == .created)
            let event = try jsonObject(try #require(dispatcher.recorder.invoked.first).payload)
            #expect((event["requestContext"] as? [String: Any])?["authorizer"] == nil)
        }
    }

    @Test func functionErrorIs502WithTheErrorType() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions) { request in
            .error(requestID: request.requestID, type: "KeyError", message: "'id'")
        }
        try await withApp(dispatcher) { client in
            let response = try await client.execute(uri: "/items/1", method: .get, headers: bearer)
            #expect(response.status == .badGateway)
            let body = try jsonObject(response.body)
            #expect(body["message"] as? String == "Internal server error")
            #expect(body["errorType"] as? String == "KeyError")
        }
    }

    @Test func malformedProxyResponseIs502() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions, handler: FakeDispatcher.answering(#"{"no": "statusCode"}"#))
        try await withApp(dispatcher) { client in
            let response = try await client.execute(uri: "/items/1", method: .get, headers: bearer)
            #expect(response.status == .badGateway)
            #expect(String(buffer: response.body) == #"{"message":"Internal server error"}"#)
        }
    }

    @Test(arguments: [
        (DispatchError.Code.throttled, HTTPResponse.Status.serviceUnavailable),
        (.shuttingDown, .serviceUnavailable),
        (.workerUnavailable, .serviceUnavailable),
        (.circuitOpen, .badGateway),
        (.functionNotFound, .badGateway),
    ])
    func dispatchErrors(_ code: DispatchError.Code, _ status: HTTPResponse.Status) async throws {
        try await withApp(FakeDispatcher(functions: Self.functions, handler: FakeDispatcher.failing(code))) { client in
            let response = try await client.execute(uri: "/items/1", method: .get, headers: bearer)
            #expect(response.status == status)
            let body = try jsonObject(response.body)
            #expect(body["errorType"] as? String == code.rawValue)
            #expect(body["message"] as? String == "dispatch failed: \(code.rawValue)")
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let dispatcher = FakeDispatcher(functions: Self.functions, handler: FakeDispatcher.answering(Self.proxyAnswer))
        try await withApp(dispatcher, maximumBodySize: 16) { client in
            let atLimit = try await client.execute(uri: "/v2/x", method: .post, headers: bearer, body: ByteBuffer(repeating: 0x61, count: 16))
            #expect(atLimit.status == .created)
            let over = try await client.execute(uri: "/v2/x", method: .post, headers: bearer, body: ByteBuffer(repeating: 0x61, count: 17))
            #expect(over.status == .contentTooLarge)
            #expect(try Self.message(over) == "Request Too Long")
            #expect(dispatcher.recorder.invoked.count == 1)
        }
    }
}
