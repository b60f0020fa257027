import Crypto
import Foundation
import Testing

@testable import NimbusGateway

struct TokenIssuerTests {
    let issuer = TokenIssuer(key: P256.Signing.PrivateKey())

    /// The three dot-separated parts of a JWT.
    static func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    static func decodeJSON(_ part: String) throws -> [String: Any] {
        try jsonObject(try #require(Base64URL.decode(part)))
    }

    @Test(arguments: [TokenIssuer.TokenUse.id, .access, .refresh])
    func roundTrip(_ use: TokenIssuer.TokenUse) throws {
        let token = issuer.issue(username: "alice", use: use, now: fixedNow)
        let claims = try issuer.verify(token, expecting: [use], now: fixedNow).get()
        let lifetime: TimeInterval = use == .refresh ? 30 * 86400 : 3600
        #expect(claims.username == "alice")
        #expect(claims.use == use)
        #expect(claims.issuedAt == fixedNow)
        #expect(claims.expiresAt == fixedNow + lifetime)
        #expect(claims.all["cognito:username"] == "alice")
        #expect(claims.all["token_use"] == use.rawValue)
        #expect(claims.all["iss"] == "nimbus")
        #expect(claims.all["sub"] == TokenIssuer.subject(for: "alice"))
        #expect(claims.all["exp"] == String(Int(fixedNow.timeIntervalSince1970 + lifetime)))
    }

    @Test func headerNamesTheAlgorithmAndKey() throws {
        let header = try Self.decodeJSON(Self.parts(issuer.issue(username: "alice", use: .id))[0])
        #expect(header["alg"] as? String == "ES256")
        #expect(header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == issuer.keyID)
    }

    @Test func subjectIsAStableUUIDPerUser() {
        let subject = TokenIssuer.subject(for: "alice")
        #expect(UUID(uuidString: subject) != nil)
        #expect(subject == TokenIssuer.subject(for: "alice"))
        #expect(subject != TokenIssuer.subject(for: "bob"))
    }

    @Test func expiredTokensAreRejected() {
        let token = issuer.issue(username: "alice", use: .access, now: fixedNow)
        #expect(throws: Never.self) { try issuer.verify(token, expecting: [.access], now: fixedNow + 3599).get() }
        #expect(issuer.verify(token, expecting: [.access], now: fixedNow + 3600) == .failure(.init(description: "token expired")))
    }

    @Test func wrongTokenUseIsRejected() {
        let refresh = issuer.issue(username: "alice", use: .refresh, now: fixedNow)
        #expect(issuer.verify(refresh, expecting: [.id, .access], now: fixedNow) == .failure(.init(description: "wrong token use")))
    }

    @Test func tamperedSignatureIsRejected() {
        let token = Self.parts(issuer.issue(username: "alice", use: .id, now: fixedNow))
        let other = Self.parts(issuer.issue(username: "bob", use: .id, now: fixedNow))
        let swapped = [token[0], token[1], other[2]].joined(separator: ".")
        #expect(issuer.verify(swapped, expecting: [.id], now: fixedNow) == .failure(.init(description: "invalid signature")))
    }

    @Test func tamperedClaimsAreRejected() throws {
        let token = Self.parts(issuer.issue(username: "alice", use: .id, now: fixedNow))
        var claims = try Self.decodeJSON(token[1])
        claims["cognito:username"] = "admin"
        let forged = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let tampered = [token[0], forged, token[2]].joined(separator: ".")
        #expect(issuer.verify(tampered, expecting: [.id], now: fixedNow) == .failure(.init(description: "invalid signature")))
    }

    @Test func tokensFromAnotherKeyAreRejected() {
        let foreign = TokenIssuer(key: P256.Signing.PrivateKey()).issue(username: "alice", use: .id, now: fixedNow)
        #expect(issuer.verify(foreign, expecting: [.id], now: fixedNow) == .failure(.init(description: "invalid signature")))
    }

    @Test func tokensFromAnotherIssuerNameAreRejected() throws {
        let key = P256.Signing.PrivateKey()
        let token = TokenIssuer(key: key, issuer: "someone-else").issue(username: "alice", use: .id, now: fixedNow)
        #expect(TokenIssuer(key: key).verify(token, expecting: [.id], now: fixedNow) == .failure(.init(description: "invalid claims")))
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", "!!.!!.!!"])
    func malformedTokensAreRejected(_ token: String) {
        #expect(issuer.verify(token, expecting: [.id], now: fixedNow) == .failure(.init(description: "malformed token")))
    }

    @Test func unsignedTokensAreRejected() {
        let parts = Self.parts(issuer.issue(username: "alice", use: .id, now: fixedNow))
        let none = Base64URL.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        #expect(issuer.verify("\(none).\(parts[1]).", expecting: [.id], now: fixedNow) == .failure(.init(description: "unsupported algorithm")))
    }
}
