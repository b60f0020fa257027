import Synchronization

/// Signing keys by access key and credential scope. Deriving one is four HMACs, and a client uses
/// the same key for every request of a day, so the verifier keeps the few it has seen. Scopes come
/// from requests, so the cache is bounded: when full it starts over.
final class SigningKeyCache: Sendable {
    private struct Entry: Hashable {
        var accessKeyID: String
        var scope: SigV4CredentialScope
    }

    static let capacity = 64
    private let keys = Mutex<[Entry: SigningKey]>([:])

    func key(for credentials: SigV4Credentials, scope: SigV4CredentialScope) -> SigningKey {
        let entry = Entry(accessKeyID: credentials.accessKeyID, scope: scope)
        if let key = keys.withLock({ $0[entry] }) { return key }
        let key = SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[entry] = key
        }
        return key
    }
}
