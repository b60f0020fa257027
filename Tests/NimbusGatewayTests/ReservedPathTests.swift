import Crypto
import Hummingbird
import HummingbirdTesting
import Logging
import NimbusCore
import Testing

@testable import NimbusGateway

/// A catch-all template route must not shadow the gateway's own routes.
struct ReservedPathTests {
    @Test(arguments: ["/health", "/user/auth/v1", "/metrics", "/metrics/pools", "/.well-known/jwks.json", "/2015-03-31/functions/f/invocations"])
    func reservedPaths(_ path: String) {
        #expect(APIRouteMiddleware.isReserved(path))
    }

    @Test(arguments: ["/healthz", "/api/health", "/user/auth", "/metricsx"])
    func ordinaryPaths(_ path: String) {
        #expect(!APIRouteMiddleware.isReserved(path))
    }

    @Test func catchAllRouteLeavesHealthToTheGateway() async throws {
        let function = FunctionConfiguration(name: name("all"), logicalID: "all", runtime: "python3.12", handler: "app.handler", codePath: "/tmp/all")
        let dispatcher = FakeDispatcher(functions: [function], handler: FakeDispatcher.answering(#"{"statusCode": 200, "body": "function"}"#))
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: APIRouteMiddleware(
            routes: RouteTable(routes: [HTTPRoute(api: .http, path: "/{proxy+}", method: nil, function: name("all"))]),
            dispatcher: dispatcher, authenticator: nil, configuration: {
                var configuration = GatewayConfiguration()
                configuration.authEnabled = false
                return configuration
            }(), logger: Logger(label: "test")))
        HealthController().addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(String(buffer: health.body).contains("healthy"))
            let other = try await client.execute(uri: "/anything/else", method: .get)
            #expect(String(buffer: other.body) == "function")
        }
        #expect(dispatcher.recorder.invoked.count == 1)
    }
}
