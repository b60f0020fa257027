import Crypto
import Foundation
import Testing

@testable import NimbusGateway

/// `TokenIssuer.loadOrCreateKey` and the JWKS that publishes the key.
struct SigningKeyTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-gateway-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func keyIsCreatedOnceAndPersistedPrivately() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auth/signing-key.pem").path

        let first = try TokenIssuer.loadOrCreateKey(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let second = try TokenIssuer.loadOrCreateKey(at: path)
        #expect(second.rawRepresentation == first.rawRepresentation)

        let token = TokenIssuer(key: first).issue(username: "alice", use: .id)
        #expect(throws: Never.self) { try TokenIssuer(key: second).verify(token, expecting: [.id]).get() }
    }

    @Test func corruptKeyFileIsAnError() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("signing-key.pem").path
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try TokenIssuer.loadOrCreateKey(at: path) }
    }

    @Test func keyThatCannotBeWrittenIsAnError() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The key path names a directory: reading it fails, and so must writing it.
        #expect(throws: (any Error).self) { try TokenIssuer.loadOrCreateKey(at: directory.path) }
    }

    @Test func jwksPublishesTheP256PublicKey() throws {
        let issuer = TokenIssuer(key: P256.Signing.PrivateKey())
        let keys = try #require(issuer.jwks["keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        let jwk = try #require(keys.first)
        #expect(jwk["kty"] as? String == "EC")
        #expect(jwk["crv"] as? String == "P-256")
        #expect(jwk["alg"] as? String == "ES256")
        #expect(jwk["use"] as? String == "sig")
        #expect(jwk["kid"] as? String == issuer.keyID)
        for coordinate in ["x", "y"] {
            let text = try #require(jwk[coordinate] as? String)
            #expect(!text.contains { "+/=".contains($0) }, "\(coordinate) must be base64url without padding")
            #expect(Base64URL.decode(text)?.count == 32)
        }
    }

    /// Verifies a token the way a client would: only from the JWKS, with its own ECDSA code.
    @Test func tokensVerifyAgainstTheJWKSAlone() throws {
        let issuer = TokenIssuer(key: P256.Signing.PrivateKey())
        let jwk = try #require((issuer.jwks["keys"] as? [[String: Any]])?.first)
        let x = try #require(Self.base64URLDecode(jwk["x"] as? String))
        let y = try #require(Self.base64URLDecode(jwk["y"] as? String))
        let publicKey = try P256.Signing.PublicKey(x963Representation: [0x04] + x + y)

        let token = issuer.issue(username: "alice", use: .access)
        let parts = token.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: try #require(Self.base64URLDecode(parts[2])))
        #expect(publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8)))
        #expect(!publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])x".utf8)))

        let header = try jsonObject(Data(try #require(Self.base64URLDecode(parts[0]))))
        #expect(header["kid"] as? String == jwk["kid"] as? String)
    }

    /// An independent base64url decoder, so the JWKS check does not lean on the code under test.
    static func base64URLDecode(_ text: String?) -> [UInt8]? {
        guard let text else { return nil }
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
