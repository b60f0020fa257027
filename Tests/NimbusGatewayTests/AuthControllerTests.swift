import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import NimbusGateway

struct AuthControllerTests {
    let issuer = TokenIssuer(key: P256.Signing.PrivateKey())

    static let configuration: GatewayConfiguration = {
        var configuration = GatewayConfiguration()
        configuration.apiKey = "test-key"
        configuration.username = "alice"
        configuration.password = "s3cret"
        return configuration
    }()

    static let apiKey = HTTPField.Name("x-api-key")!

    func withApp(configuration: GatewayConfiguration = Self.configuration, _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: GatewayRequestContext.self)
        HealthController().addRoutes(to: router)
        AuthController(configuration: configuration, authenticator: BearerAuthenticator(issuer: issuer)).addRoutes(to: router)
        try await Application(router: router).test(.router, test)
    }

    static func login(_ client: some TestClientProtocol, key: String? = "test-key", body: String) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-amz-json-1.1"]
        if let key { headers[apiKey] = key }
        return try await client.execute(uri: "/user/auth/v1", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func passwordBody(_ username: String = "alice", _ password: String = "s3cret") -> String {
        #"{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"\#(username)","PASSWORD":"\#(password)"}}"#
    }

    static func result(_ response: TestResponse) throws -> [String: Any] {
        try #require(try jsonObject(response.body)["AuthenticationResult"] as? [String: Any])
    }

    @Test func passwordLoginIssuesTokens() async throws {
        try await withApp { client in
            let response = try await Self.login(client, body: Self.passwordBody())
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let result = try Self.result(response)
            #expect(result["TokenType"] as? String == "Bearer")
            #expect((result["ExpiresIn"] as? NSNumber)?.intValue == 3600)
            let expectations: [(String, TokenIssuer.TokenUse)] = [("IdToken", .id), ("AccessToken", .access), ("RefreshToken", .refresh)]
            for (field, use) in expectations {
                let token = try #require(result[field] as? String, "\(field) missing")
                let claims = try issuer.verify(token, expecting: [use]).get()
                #expect(claims.username == "alice")
            }
        }
    }

    @Test(arguments: [nil, "", "wrong-key", "TEST-KEY", "test-key-and-more"])
    func wrongAPIKeyIs401(_ key: String?) async throws {
        try await withApp { client in
            let response = try await Self.login(client, key: key, body: Self.passwordBody())
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body) == #"{"message":"Unauthorized"}"#)
        }
    }

    @Test func unconfiguredAPIKeyRefusesEveryone() async throws {
        var configuration = Self.configuration
        configuration.apiKey = ""
        try await withApp(configuration: configuration) { client in
            let response = try await Self.login(client, key: "", body: Self.passwordBody())
            #expect(response.status == .unauthorized)
        }
    }

    @Test(arguments: [("alice", "wrong"), ("bob", "s3cret"), ("alice", ""), ("Alice", "s3cret")])
    func wrongCredentialsAre401(_ username: String, _ password: String) async throws {
        try await withApp { client in
            let response = try await Self.login(client, body: Self.passwordBody(username, password))
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body) == #"{"message":"Unauthorized"}"#)
        }
    }

    @Test(arguments: ["", "{", "not json", "[]", #"{"AuthFlow":"USER_PASSWORD_AUTH"}"#, #"{"AuthParameters":"alice"}"#])
    func malformedRequestsAre400(_ body: String) async throws {
        try await withApp { client in
            let response = try await Self.login(client, body: body)
            #expect(response.status == .badRequest)
            #expect(try jsonObject(response.body)["__type"] as? String == "InvalidParameterException")
        }
    }

    @Test func refreshFlowIssuesNewTokensWithoutARefreshToken() async throws {
        let refresh = issuer.issue(username: "alice", use: .refresh)
        try await withApp { client in
            let body = #"{"AuthFlow":"REFRESH_TOKEN_AUTH","AuthParameters":{"REFRESH_TOKEN":"\#(refresh)"}}"#
            let response = try await Self.login(client, body: body)
            #expect(response.status == .ok)
            let result = try Self.result(response)
            #expect(result["RefreshToken"] == nil)
            let access = try #require(result["AccessToken"] as? String)
            #expect(try issuer.verify(access, expecting: [.access]).get().username == "alice")
            let id = try #require(result["IdToken"] as? String)
            #expect(try issuer.verify(id, expecting: [.id]).get().username == "alice")
        }
    }

    @Test(arguments: [TokenIssuer.TokenUse.id, .access])
    func refreshWithANonRefreshTokenIs401(_ use: TokenIssuer.TokenUse) async throws {
        let token = issuer.issue(username: "alice", use: use)
        try await withApp { client in
            let body = #"{"AuthFlow":"REFRESH_TOKEN_AUTH","AuthParameters":{"REFRESH_TOKEN":"\#(token)"}}"#
            let response = try await Self.login(client, body: body)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body) == #"{"message":"Unauthorized"}"#)
        }
    }

    @Test func refreshWithAnExpiredTokenIs401() async throws {
        let token = issuer.issue(username: "alice", use: .refresh, now: Date() - 31 * 86400)
        try await withApp { client in
            let body = #"{"AuthFlow":"REFRESH_TOKEN_AUTH","AuthParameters":{"REFRESH_TOKEN":"\#(token)"}}"#
            let response = try await Self.login(client, body: body)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func jwksEndpointServesTheIssuerKey() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
            #expect(response.status == .ok)
            let keys = try #require(try jsonObject(response.body)["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            #expect(keys.first?["kid"] as? String == issuer.keyID)
            #expect(keys.first?["kty"] as? String == "EC")
            #expect(keys.first?["x"] as? String == (issuer.jwks["keys"] as? [[String: Any]])?.first?["x"] as? String)
        }
    }

    @Test func healthIsHealthy() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(try jsonObject(response.body)["status"] as? String == "healthy")
        }
    }
}
