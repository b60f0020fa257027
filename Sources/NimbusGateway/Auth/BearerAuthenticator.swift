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
        guard let authorization, authorization.utf8.count > 7,
            authorization.utf8.prefix(7).map({ $0 | 0x20 }).elementsEqual("bearer ".utf8)
        else { return nil }
        // Runs per request: trim blanks on bytes, not with Foundation's character sets.
        var bytes = authorization.utf8.dropFirst(7)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        let token = String(Substring(bytes))
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
