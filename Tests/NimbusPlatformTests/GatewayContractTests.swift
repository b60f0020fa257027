import Foundation
import Testing

/// Seed 002's gateway scenarios (SMK-001, SMK-003, STD-005..008, RTP-001) against a live stack.
@Suite struct GatewayContractTests {
    @Test("SMK-001 / STD-005: GET /health answers 200 {\"status\":\"healthy\"}")
    func health() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.request(.get, "/health")
        #expect(reply.status == .ok)
        #expect(reply.json["status"] as? String == "healthy")
    }

    @Test("STD-006: /user/auth/v1 issues a non-empty bearer token in Cognito's shape")
    func auth() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.post(
            "/user/auth/v1",
            json: ["AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": ["USERNAME": LiveStack.username, "PASSWORD": LiveStack.password]],
            headers: ["x-api-key": LiveStack.apiKey])
        #expect(reply.status == .ok)
        let result = try #require(reply.json["AuthenticationResult"] as? [String: Any])
        for field in ["IdToken", "AccessToken", "RefreshToken"] {
            #expect(((result[field] as? String) ?? "").count > 20, "\(field)")
        }
        #expect(result["TokenType"] as? String == "Bearer")
        #expect((result["ExpiresIn"] as? Int ?? 0) > 0)
    }

    @Test("Wrong API key or password → 401 {\"message\":\"Unauthorized\"}", arguments: [
        ("wrong-key", LiveStack.password),
        (LiveStack.apiKey, "wrong-password"),
    ])
    func authRejected(key: String, password: String) async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.post(
            "/user/auth/v1", json: ["AuthParameters": ["USERNAME": LiveStack.username, "PASSWORD": password]],
            headers: ["x-api-key": key])
        #expect(reply.status == .unauthorized)
        #expect(reply.json["message"] as? String == "Unauthorized")
    }

    @Test("STD-007: /api/echo without a token → 401")
    func unauthenticated() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.post("/api/echo", json: ["message": "x"])
        #expect(reply.status == .unauthorized)
        let bad = try await stack.post("/api/echo", json: ["message": "x"], token: "not-a-jwt")
        #expect(bad.status == .unauthorized)
    }

    @Test("STD-008: a valid token on an unknown route → 404 JSON")
    func unknownRoute() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.request(.get, "/api/nonexistent", headers: ["Authorization": "Bearer \(token)"])
        #expect(reply.status == .notFound)
        #expect(reply.json["message"] as? String == "Not Found")
    }

    @Test("SMK-003: connectivity echo on the python runtime")
    func connectivityEcho() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.post("/api/connectivity/python", json: ["action": "echo", "message": "smoke-python"], token: token)
        #expect(reply.status == .ok)
        #expect(reply.json["success"] as? Bool == true)
        #expect(reply.json["action"] as? String == "echo")
        #expect(reply.json["message"] as? String == "Echo: smoke-python")
    }

    @Test("RTP-001: /api/echo echoes and names the authenticated user")
    func echoNamesUser() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.post("/api/echo", json: ["message": "hello-basic"], token: token)
        #expect(reply.status == .ok)
        #expect(reply.json["success"] as? Bool == true)
        #expect(reply.json["message"] as? String == "Echo: hello-basic")
        #expect(reply.json["user"] as? String == LiveStack.username)
    }

    @Test("Refresh tokens buy new tokens that work on API routes")
    func refresh() async throws {
        let stack = try await LiveStack.shared.value
        let login = try await stack.post(
            "/user/auth/v1", json: ["AuthParameters": ["USERNAME": LiveStack.username, "PASSWORD": LiveStack.password]],
            headers: ["x-api-key": LiveStack.apiKey])
        let refreshToken = try #require((login.json["AuthenticationResult"] as? [String: Any])?["RefreshToken"] as? String)
        let refreshed = try await stack.post(
            "/user/auth/v1", json: ["AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": ["REFRESH_TOKEN": refreshToken]],
            headers: ["x-api-key": LiveStack.apiKey])
        let idToken = try #require((refreshed.json["AuthenticationResult"] as? [String: Any])?["IdToken"] as? String)
        let echo = try await stack.post("/api/echo", json: ["message": "refreshed"], token: idToken)
        #expect(echo.json["message"] as? String == "Echo: refreshed")
        let misuse = try await stack.post("/api/echo", json: ["message": "x"], token: refreshToken)
        #expect(misuse.status == .unauthorized)
    }

    @Test("Request bodies above 6 MB → 413")
    func oversizeBody() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.request(
            .post, "/api/echo", headers: ["Authorization": "Bearer \(token)"], body: Data(count: 6 * 1024 * 1024 + 1))
        #expect(reply.status == .contentTooLarge)
    }
}
