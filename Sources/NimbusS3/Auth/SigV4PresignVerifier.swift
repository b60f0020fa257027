import Foundation
import NimbusSigV4

/// Presigned-URL signatures checked with NimbusSigV4: `X-Amz-*` (SigV4) and boto3's default
/// `AWSAccessKeyId`/`Signature`/`Expires` (SigV2). Wire it as the service's `presignVerifier`.
public struct SigV4PresignVerifier: S3PresignVerifier {
    private let v4: SigV4Verifier
    private let v2: SigV2QueryVerifier

    /// - Parameter strict: recompute signatures with `credentials`; otherwise accept any
    ///   well-formed signature (expiry is enforced either way).
    public init(credentials: [SigV4Credentials], strict: Bool) {
        v4 = SigV4Verifier(credentials: credentials, strict: strict)
        v2 = SigV2QueryVerifier(credentials: credentials, strict: strict)
    }

    public func verifyPresigned(_ request: S3PresignedRequest) throws {
        let failure: SigV4Error?
        switch request.version {
        case .v4:
            let signed = SigV4Request(
                method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, headers: request.headers)
            let payloadHash = request.headers.first { $0.name == "x-amz-content-sha256" }?.value ?? SigV4.unsignedPayload
            if case .failure(let error) = v4.verify(signed, payloadHash: payloadHash, now: Date()) {
                failure = error
            } else {
                failure = nil
            }
        case .v2:
            let result = v2.verify(
                method: request.method, rawPath: request.resourcePath, rawQuery: request.rawQuery,
                headers: request.headers, now: Date())
            if case .failure(let error) = result { failure = error } else { failure = nil }
        }
        if let failure { throw S3PresignFailure(code: failure.code, message: failure.message) }
    }
}
