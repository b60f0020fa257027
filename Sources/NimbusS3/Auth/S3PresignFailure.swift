/// A presign verification failure in AWS's terms.
public struct S3PresignFailure: Error, Sendable {
    /// `SignatureDoesNotMatch`, `InvalidAccessKeyId`, `AccessDenied`, `AuthorizationQueryParametersError` …
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
