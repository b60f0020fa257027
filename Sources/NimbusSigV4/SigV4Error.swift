/// A SigV4 failure, carrying AWS's error code so each service can render it in its own dialect
/// (S3 XML `<Code>`, JSON `__type`). The HTTP status lives with that rendering, not here.
public struct SigV4Error: Error, Sendable, Equatable {
    /// AWS's code: `SignatureDoesNotMatch`, `IncompleteSignature`, `AuthorizationHeaderMalformed`,
    /// `InvalidAccessKeyId`, `AccessDenied`, `AuthorizationQueryParametersError`,
    /// `MissingAuthenticationToken`, `InvalidArgument` or `XAmzContentSHA256Mismatch`.
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

extension SigV4Error: CustomStringConvertible {
    public var description: String { "\(code): \(message)" }
}

extension SigV4Error {
    static let signatureDoesNotMatch = SigV4Error(
        code: "SignatureDoesNotMatch",
        message: "The request signature we calculated does not match the signature you provided. "
            + "Check your key and signing method.")

    static let invalidAccessKeyID = SigV4Error(
        code: "InvalidAccessKeyId",
        message: "The AWS Access Key Id you provided does not exist in our records.")

    static let missingAuthenticationToken = SigV4Error(
        code: "MissingAuthenticationToken", message: "Missing Authentication Token")

    static let expired = SigV4Error(code: "AccessDenied", message: "Request has expired")

    static let unsignedHeaders = SigV4Error(
        code: "AccessDenied", message: "There were headers present in the request which were not signed")

    static let invalidDate = SigV4Error(
        code: "AccessDenied", message: "AWS authentication requires a valid Date or x-amz-date header")

    static let contentSHA256Mismatch = SigV4Error(
        code: "XAmzContentSHA256Mismatch",
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.")

    static let twoMechanisms = SigV4Error(
        code: "InvalidArgument",
        message: "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
            + "Signature query string parameter or the Authorization header should be specified")

    static func incomplete(_ message: String) -> SigV4Error {
        SigV4Error(code: "IncompleteSignature", message: message)
    }

    static func headerMalformed(_ reason: String) -> SigV4Error {
        SigV4Error(code: "AuthorizationHeaderMalformed", message: "The authorization header is malformed; \(reason)")
    }

    static func dateMismatch(scope: SigV4CredentialScope, timestamp: String) -> String {
        #"Invalid credential date "\#(scope.date)". This date is not the same as X-Amz-Date: "\#(timestamp.prefix(8))"."#
    }

    static func queryParameters(_ message: String) -> SigV4Error {
        SigV4Error(code: "AuthorizationQueryParametersError", message: message)
    }
}
