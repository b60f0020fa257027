import Foundation
import Synchronization

/// Checks `Authorization: Bearer <token>` on API routes. Verified tokens are cached until
/// they expire: an ECDSA verification costs far more than the rest of the request path.
public final class BearerAuthenticator: Sendable {
    public let issuer: TokenIssuer
    private let cache = Mutex<[String: TokenIssuer.Claims]>([:])
    private static let cacheLimit = 10_000

    public init(issuer: TokenIssuer) {
        self.issuer = issuer
    }

    /// The caller's claims, or nil when the header is missing or the token invalid.
    public func authenticate(authorization: String?, now: Date = Date()) -> TokenIssuer.Claims? {
        guard let authorization, authorization.count > 7,
            authorization.prefix(7).lowercased() == "bearer "
        else { return nil }
        let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        if let cached = cache.withLock({ $0[token] }) {
            return cached.expiresAt > now ? cached : nil
        }
        guard case .success(let claims) = issuer.verify(token, expecting: [.id, .access], now: now) else { return nil }
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[token] = claims
        }
        return claims
    }
}
