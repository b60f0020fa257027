import Foundation
import Testing

@testable import NimbusSigV4

/// NimbusSigV4 against botocore: same canonical request, same signature, and the verifier accepts
/// botocore's requests but no altered copy of them.
@Suite struct BotocoreVectorTests {
    @Test(arguments: botocoreVectors)
    func canonicalRequestMatchesBotocore(_ vector: BotocoreVector) {
        let canonical = CanonicalRequest.candidates(
            for: vector.request, signedHeaders: vector.signedHeaders,
            payload: canonicalPayload(
                of: vector.request, payloadHash: vector.payloadHash, service: vector.service,
                presigned: vector.isPresigned),
            service: vector.service, excludingSignature: vector.isPresigned)
        #expect(canonical.map(\.text).contains(vector.canonicalRequest))
    }

    @Test(arguments: botocoreVectors.filter { !$0.isPresigned })
    func signerReproducesAuthorizationHeader(_ vector: BotocoreVector) {
        let header = SigV4Signer.authorizationHeader(
            for: vector.unsignedRequest, payloadHash: vector.payloadHash, credentials: vector.credentials,
            region: vector.region, service: vector.service, date: Fixture.signingDate,
            signedHeaders: vector.signedHeaders)
        #expect(header == vector.authorizationHeader)
    }

    /// Left to choose, the signer picks the headers botocore's signer picks.
    @Test(arguments: botocoreVectors.filter { !$0.isPresigned && !$0.isFromClient })
    func signerChoosesBotocoresSignedHeaders(_ vector: BotocoreVector) {
        #expect(SigV4Signer.defaultSignedHeaders(of: vector.unsignedRequest) == vector.signedHeaders)
    }

    @Test(arguments: botocoreVectors.filter(\.isPresigned))
    func signerReproducesPresignedQuery(_ vector: BotocoreVector) {
        let query = SigV4Signer.presign(
            vector.unsignedRequest, credentials: vector.credentials, region: vector.region, service: vector.service,
            date: Fixture.signingDate, expires: vector.expires!, payloadHash: vector.payloadHash)
        #expect(query == vector.rawQuery)
        #expect(query.hasSuffix("X-Amz-Signature=\(vector.signature)"))
    }

    @Test(arguments: botocoreVectors)
    func strictVerifierAcceptsBotocoreRequest(_ vector: BotocoreVector) throws {
        let identity = try Fixture.strict.verify(
            vector.request, payloadHash: vector.payloadHash, now: Fixture.signingDate
        )
        .get()
        #expect(identity.accessKeyID == botocoreAccessKeyID)
        #expect(identity.region == vector.region)
        #expect(identity.service == vector.service)
        #expect(identity.date == Fixture.signingDate)
        #expect(identity.signature == vector.signature)
        #expect(identity.isPresigned == vector.isPresigned)
        #expect(identity.chunkSigner != nil)
    }

    @Test(arguments: botocoreVectors)
    func tamperedCopiesDoNotMatch(_ vector: BotocoreVector) {
        var tampered: [(String, SigV4Request, String)] = []
        tampered.append(("header", vector.request.replacingHeader("host", with: "evil.example"), vector.payloadHash))
        var path = vector.request
        path.rawPath += "x"
        tampered.append(("path", path, vector.payloadHash))
        var query = vector.request
        query.rawQuery = query.rawQuery.isEmpty ? "x-id=1" : "x-id=1&" + query.rawQuery
        tampered.append(("query", query, vector.payloadHash))
        if vector.signsPayload {
            // A different body, declared consistently in x-amz-content-sha256 when the request has one.
            let request =
                vector.request.value(forHeader: "x-amz-content-sha256") == nil
                ? vector.request : vector.request.replacingHeader("x-amz-content-sha256", with: Fixture.otherHash)
            tampered.append(("payload", request, Fixture.otherHash))
        }
        for (what, request, payloadHash) in tampered {
            let result = Fixture.strict.verify(request, payloadHash: payloadHash, now: Fixture.signingDate)
            #expect(result.failure?.code == "SignatureDoesNotMatch", "tampered \(what)")
        }
    }

    @Test(arguments: botocoreVectors)
    func wrongSecretDoesNotMatch(_ vector: BotocoreVector) {
        let verifier = SigV4Verifier(
            credentials: [SigV4Credentials(accessKeyID: botocoreAccessKeyID, secretAccessKey: "not-the-secret")],
            strict: true)
        let result = verifier.verify(vector.request, payloadHash: vector.payloadHash, now: Fixture.signingDate)
        #expect(result.failure == .signatureDoesNotMatch)
    }

    @Test(arguments: botocoreVectors)
    func unknownAccessKeyIsRejectedOnlyWhenStrict(_ vector: BotocoreVector) {
        let others = [SigV4Credentials(accessKeyID: "AKIDOTHER", secretAccessKey: botocoreSecretAccessKey)]
        let strict = SigV4Verifier(credentials: others, strict: true)
        let lenient = SigV4Verifier(credentials: others, strict: false)
        #expect(
            strict.verify(vector.request, payloadHash: vector.payloadHash, now: Fixture.signingDate).failure
                == .invalidAccessKeyID)
        let identity = lenient.verify(vector.request, payloadHash: vector.payloadHash, now: Fixture.signingDate).success
        #expect(identity?.accessKeyID == botocoreAccessKeyID)
        #expect(identity?.chunkSigner == nil, "no secret, no chunk verification")
    }

    @Test(arguments: botocoreVectors.filter(\.isPresigned))
    func presignedURLExpires(_ vector: BotocoreVector) {
        let lastValid = Fixture.signingDate.addingTimeInterval(TimeInterval(vector.expires!))
        for verifier in [Fixture.strict, Fixture.lenient] {
            #expect(verifier.verify(vector.request, payloadHash: vector.payloadHash, now: lastValid).success != nil)
            let expired = verifier.verify(
                vector.request, payloadHash: vector.payloadHash, now: lastValid.addingTimeInterval(1))
            #expect(expired.failure == SigV4Error(code: "AccessDenied", message: "Request has expired"))
        }
    }
}
