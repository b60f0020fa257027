import Crypto
import Foundation
import Testing

@testable import NimbusGateway

struct BearerAuthenticatorTests {
    let issuer = TokenIssuer(key: P256.Signing.PrivateKey())
    var authenticator: BearerAuthenticator { BearerAuthenticator(issuer: issuer) }

    @Test(arguments: [nil, "", "Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "Token abc", "Bearer not-a-jwt", "Bearerxyz.abc.def"])
    func rejectsMissingOrMalformedHeaders(_ header: String?) {
        #expect(authenticator.authenticate(authorization: header) == nil)
    }

    @Test(arguments: [TokenIssuer.TokenUse.id, .access])
    func acceptsIdAndAccessTokens(_ use: TokenIssuer.TokenUse) throws {
        let token = issuer.issue(username: "alice", use: use)
        let claims = try #require(authenticator.authenticate(authorization: "Bearer \(token)"))
        #expect(claims.username == "alice")
        #expect(claims.use == use)
    }

    @Test(arguments: ["bearer %@", "BEARER %@", "Bearer   %@", "Bearer \t%@ \t", "bEaReR %@  "])
    func schemeIsCaseInsensitiveAndBlanksAroundTheTokenAreIgnored(_ format: String) {
        let token = issuer.issue(username: "alice", use: .id)
        let header = format.replacingOccurrences(of: "%@", with: token)
        #expect(authenticator.authenticate(authorization: header)?.username == "alice")
    }

    @Test func rejectsRefreshTokens() {
        let token = issuer.issue(username: "alice", use: .refresh)
        #expect(authenticator.authenticate(authorization: "Bearer \(token)") == nil)
    }

    @Test func rejectsTokensSignedByAnotherKey() {
        let token = TokenIssuer(key: P256.Signing.PrivateKey()).issue(username: "alice", use: .id)
        #expect(authenticator.authenticate(authorization: "Bearer \(token)") == nil)
    }

    @Test func cachedTokensStillExpire() {
        let authenticator = self.authenticator
        let now = Date()
        let header = "Bearer \(issuer.issue(username: "alice", use: .access, now: now))"
        #expect(authenticator.authenticate(authorization: header, now: now)?.username == "alice")
        #expect(authenticator.authenticate(authorization: header, now: now + 60)?.username == "alice")
        #expect(authenticator.authenticate(authorization: header, now: now + 3601) == nil)
    }
}
