extension SigV4Verifier {
    /// Checks the signature of an S3 POST form (browser-based upload): SigV4 signs the form's
    /// base64 `policy` field itself, with the key of the `x-amz-credential` field's scope. Not
    /// strict: any well-formed credential and signature pass.
    public func verifyPostPolicy(_ policy: String, credential: String, signature: String) -> Result<Void, SigV4Error> {
        Result { () throws(SigV4Error) in
            let parsed: (accessKeyID: String, scope: SigV4CredentialScope)
            do throws(SigV4CredentialScope.ParseError) {
                parsed = try SigV4CredentialScope.parseCredential(credential)
            } catch {
                throw SigV4Error(code: "InvalidArgument", message: "Invalid Credential: \(error.reason)")
            }
            guard signature.isHexSHA256 else { throw .signatureDoesNotMatch }
            guard strict else { return }
            guard let credentials = credentialsByAccessKey[parsed.accessKeyID] else { throw .invalidAccessKeyID }
            let expected = signingKeys.key(for: credentials, scope: parsed.scope).sign(policy)
            guard constantTimeEquals(expected, signature.lowercased()) else { throw .signatureDoesNotMatch }
        }
    }
}
