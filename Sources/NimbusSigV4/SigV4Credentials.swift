/// An access key pair the verifier accepts and the signer signs with.
public struct SigV4Credentials: Sendable, Hashable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Temporary credentials carry a token; the signer sends it as `X-Amz-Security-Token`.
    /// The verifier does not check it (there is no STS here), it only has to be signed.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}
