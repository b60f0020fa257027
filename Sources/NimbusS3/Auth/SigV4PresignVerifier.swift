import Foundation
import NimbusSigV4

/// The ``S3SignatureVerifier`` of NimbusSigV4: presigned URLs (`X-Amz-*` SigV4, and boto3's default
/// `AWSAccessKeyId`/`Signature`/`Expires` SigV2) and streaming uploads' chunk signatures. Wire it
/// as the service's `presignVerifier`.
public struct SigV4PresignVerifier: S3SignatureVerifier {
    private let v4: SigV4Verifier
    private let v2: SigV2QueryVerifier

    /// - Parameter strict: recompute signatures with `credentials`; otherwise accept any
    ///   well-formed presigned URL (expiry is enforced either way) and leave chunks unchecked.
    public init(credentials: [SigV4Credentials], strict: Bool) {
        v4 = SigV4Verifier(credentials: credentials, strict: strict)
        v2 = SigV2QueryVerifier(credentials: credentials, strict: strict)
    }

    public func verifyPresigned(_ request: S3SignedRequest) throws {
        switch request.version {
        case .v4:
            _ = try verifyV4(request)
        case .v2:
            let result = v2.verify(
                method: request.method, rawPath: request.resourcePath, rawQuery: request.rawQuery,
                headers: request.headers, now: Date())
            if case .failure(let error) = result { throw S3SignatureFailure(code: error.code, message: error.message) }
        }
    }

    /// Only in strict mode: otherwise the seed was not checked, and a chain built on it proves
    /// nothing.
    public func chunkVerifier(for request: S3SignedRequest) throws -> SigV4ChunkVerifier? {
        guard v4.strict else { return nil }
        let identity = try verifyV4(request)
        guard let signer = identity.chunkSigner else {
            throw S3SignatureFailure(code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.")
        }
        return SigV4ChunkVerifier(signer: signer, seedSignature: identity.signature)
    }

    public var isStrict: Bool { v4.strict }

    public func verifyPostPolicy(_ form: S3SignedForm) throws {
        let result = switch form.version {
        case .v4: v4.verifyPostPolicy(form.policy, credential: form.credential, signature: form.signature)
        case .v2: v2.verifyPostPolicy(form.policy, accessKeyID: form.credential, signature: form.signature)
        }
        if case .failure(let error) = result { throw S3SignatureFailure(code: error.code, message: error.message) }
    }

    private func verifyV4(_ request: S3SignedRequest) throws -> VerifiedIdentity {
        let signed = SigV4Request(
            method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, headers: request.headers)
        let payloadHash = request.headers.first { $0.name == "x-amz-content-sha256" }?.value ?? SigV4.unsignedPayload
        switch v4.verify(signed, payloadHash: payloadHash, now: Date()) {
        case .success(let identity): return identity
        case .failure(let error): throw S3SignatureFailure(code: error.code, message: error.message)
        }
    }
}
