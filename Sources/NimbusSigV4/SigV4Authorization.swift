/// The parts of a SigV4 signature, from an `Authorization` header or `X-Amz-*` query parameters.
public struct SigV4Authorization: Sendable, Hashable {
    public var accessKeyID: String
    public var scope: SigV4CredentialScope
    /// Lowercased header names, in the order the client listed them.
    public var signedHeaders: [String]
    /// Lowercase hex.
    public var signature: String

    public init(accessKeyID: String, scope: SigV4CredentialScope, signedHeaders: [String], signature: String) {
        self.accessKeyID = accessKeyID
        self.scope = scope
        self.signedHeaders = signedHeaders
        self.signature = signature
    }
}
