import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /user/auth/v1` in Amazon Cognito's `InitiateAuth` shape (USER_PASSWORD_AUTH and
/// REFRESH_TOKEN_AUTH), and the JWKS that verifies the tokens it issues.
public struct AuthController: Sendable {
    let configuration: GatewayConfiguration
    let authenticator: BearerAuthenticator

    public init(configuration: GatewayConfiguration, authenticator: BearerAuthenticator) {
        self.configuration = configuration
        self.authenticator = authenticator
    }

    public func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("user/auth/v1") { request, _ in try await self.initiateAuth(request) }
        router.get(".well-known/jwks.json") { _, _ in
            HTTPResponses.json(.ok, self.authenticator.issuer.jwks)
        }
    }

    func initiateAuth(_ request: Request) async throws -> Response {
        guard let key = request.headers[HTTPField.Name("x-api-key")!],
            Self.constantTimeEquals(key, configuration.apiKey), !configuration.apiKey.isEmpty
        else { return HTTPResponses.message(.unauthorized, "Unauthorized") }
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            let parameters = object["AuthParameters"] as? [String: Any]
        else {
            return HTTPResponses.json(.badRequest, [
                "__type": "InvalidParameterException",
                "message": "Request body must be a JSON object with AuthParameters",
            ])
        }
        let flow = object["AuthFlow"] as? String
        let issuer = authenticator.issuer
        if flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN" || (flow == nil && parameters["REFRESH_TOKEN"] != nil) {
            guard let refresh = parameters["REFRESH_TOKEN"] as? String,
                case .success(let claims) = issuer.verify(refresh, expecting: [.refresh])
            else { return HTTPResponses.message(.unauthorized, "Unauthorized") }
            return tokens(for: claims.username, includeRefresh: false)
        }
        guard let username = parameters["USERNAME"] as? String, let password = parameters["PASSWORD"] as? String,
            Self.constantTimeEquals(username, configuration.username),
            Self.constantTimeEquals(password, configuration.password)
        else { return HTTPResponses.message(.unauthorized, "Unauthorized") }
        return tokens(for: username, includeRefresh: true)
    }

    private func tokens(for username: String, includeRefresh: Bool) -> Response {
        let issuer = authenticator.issuer
        var result: [String: Any] = [
            "IdToken": issuer.issue(username: username, use: .id),
            "AccessToken": issuer.issue(username: username, use: .access),
            "ExpiresIn": Int(issuer.tokenLifetime.components.seconds),
            "TokenType": "Bearer",
        ]
        if includeRefresh { result["RefreshToken"] = issuer.issue(username: username, use: .refresh) }
        return HTTPResponses.json(.ok, ["AuthenticationResult": result, "ChallengeParameters": [String: String]()])
    }

    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<min(a.count, b.count) { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
