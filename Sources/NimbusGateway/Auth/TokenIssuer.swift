@preconcurrency import Crypto
import Foundation

/// Issues and verifies the gateway's JWTs (ES256). The key is an EC P-256 key so callers can
/// verify tokens offline against `/.well-known/jwks.json`.
public struct TokenIssuer: Sendable {
    public enum TokenUse: String, Sendable { case id, access, refresh }

    public struct Claims: Sendable, Equatable {
        public var username: String
        public var use: TokenUse
        public var issuedAt: Date
        public var expiresAt: Date
        /// Every claim as text, as API Gateway passes Cognito claims to functions.
        public var all: [String: String]
    }

    public struct VerificationError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    private let key: P256.Signing.PrivateKey
    public let issuer: String
    public let tokenLifetime: Duration
    public let refreshLifetime: Duration

    public init(key: P256.Signing.PrivateKey, issuer: String = "nimbus", tokenLifetime: Duration = .seconds(3600), refreshLifetime: Duration = .seconds(30 * 86400)) {
        self.key = key
        self.issuer = issuer
        self.tokenLifetime = tokenLifetime
        self.refreshLifetime = refreshLifetime
    }

    /// Loads the signing key from `path`, creating and saving one (mode 0600) on first use,
    /// so tokens survive restarts.
    public static func loadOrCreateKey(at path: String) throws -> P256.Signing.PrivateKey {
        if let pem = try? String(contentsOfFile: path, encoding: .utf8) {
            return try P256.Signing.PrivateKey(pemRepresentation: pem)
        }
        let key = P256.Signing.PrivateKey()
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A key that is not saved would silently invalidate every token at the next restart.
        guard FileManager.default.createFile(atPath: path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return key
    }

    /// The key id: a stable hash of the public key.
    public var keyID: String {
        Base64URL.encode(Array(SHA256.hash(data: key.publicKey.x963Representation)).prefix(12))
    }

    public func issue(username: String, use: TokenUse, now: Date = Date()) -> String {
        let lifetime = use == .refresh ? refreshLifetime : tokenLifetime
        let seconds = Double(lifetime.components.seconds)
        let claims: [String: Any] = [
            "sub": Self.subject(for: username),
            "cognito:username": username,
            "username": username,
            "token_use": use.rawValue,
            "iss": issuer,
            "aud": "nimbus",
            "client_id": "nimbus",
            "iat": Int(now.timeIntervalSince1970),
            "auth_time": Int(now.timeIntervalSince1970),
            "exp": Int(now.timeIntervalSince1970 + seconds),
            "jti": UUID().uuidString.lowercased(),
        ]
        let header = ["alg": "ES256", "typ": "JWT", "kid": keyID]
        let headerPart = Base64URL.encode(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let claimsPart = Base64URL.encode(try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signingInput = "\(headerPart).\(claimsPart)"
        let signature = try! key.signature(for: Data(signingInput.utf8))
        return "\(signingInput).\(Base64URL.encode(signature.rawRepresentation))"
    }

    /// Checks signature, issuer and expiry; `expecting` restricts the token use.
    public func verify(_ token: String, expecting uses: Set<TokenUse>, now: Date = Date()) -> Result<Claims, VerificationError> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let claimsData = Base64URL.decode(parts[1]),
            let signatureData = Base64URL.decode(parts[2])
        else { return .failure(.init(description: "malformed token")) }
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any], header["alg"] as? String == "ES256"
        else { return .failure(.init(description: "unsupported algorithm")) }
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureData),
            key.publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8))
        else { return .failure(.init(description: "invalid signature")) }
        guard let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any],
            let username = claims["cognito:username"] as? String,
            let useText = claims["token_use"] as? String, let use = TokenUse(rawValue: useText),
            let issuedAt = (claims["iat"] as? NSNumber)?.doubleValue, let expiry = (claims["exp"] as? NSNumber)?.doubleValue,
            claims["iss"] as? String == issuer
        else { return .failure(.init(description: "invalid claims")) }
        guard uses.contains(use) else { return .failure(.init(description: "wrong token use")) }
        guard expiry > now.timeIntervalSince1970 else { return .failure(.init(description: "token expired")) }
        let all = claims.mapValues { value -> String in
            if let text = value as? String { return text }
            if let number = value as? NSNumber { return number.stringValue }
            return "\(value)"
        }
        return .success(Claims(
            username: username, use: use, issuedAt: Date(timeIntervalSince1970: issuedAt),
            expiresAt: Date(timeIntervalSince1970: expiry), all: all))
    }

    /// The JSON Web Key Set that publishes the verification key.
    public var jwks: [String: Any] {
        let raw = key.publicKey.x963Representation  // 0x04 || X || Y
        return [
            "keys": [[
                "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": keyID,
                "x": Base64URL.encode(raw.dropFirst().prefix(32)),
                "y": Base64URL.encode(raw.suffix(32)),
            ]]
        ]
    }

    /// A stable UUID-shaped subject for a username, like a Cognito `sub`.
    static func subject(for username: String) -> String {
        let bytes = Array(SHA256.hash(data: Data("nimbus-user:\(username)".utf8)).prefix(16))
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
