import Foundation
import Testing

@testable import NimbusSigV4

/// Every way a request can fail verification, with the AWS error it gets.
@Suite struct VerifierTests {
    static let signature = String(repeating: "a", count: 64)
    static let credential = "AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request"

    static func headerSigned(
        _ authorization: String, date: (name: String, value: String)? = (name: "X-Amz-Date", value: botocoreTimestamp)
    ) -> SigV4Request {
        var headers = [(name: "Host", value: "localhost"), (name: "Authorization", value: authorization)]
        if let date { headers.append(date) }
        return SigV4Request(method: "GET", rawPath: "/bucket/key", headers: headers)
    }

    struct MalformedHeader: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var authorization: String
        var code: String
        var date: (name: String, value: String)? = (name: "X-Amz-Date", value: botocoreTimestamp)
    }

    static let malformedHeaders: [MalformedHeader] = [
        .init(
            testDescription: "SigV2", authorization: "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
            code: "InvalidArgument"),
        .init(testDescription: "Bearer", authorization: "Bearer abc", code: "InvalidArgument"),
        .init(testDescription: "empty", authorization: "", code: "InvalidArgument"),
        .init(testDescription: "algorithm only", authorization: "AWS4-HMAC-SHA256", code: "IncompleteSignature"),
        .init(
            testDescription: "no Credential",
            authorization: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=\(signature)",
            code: "IncompleteSignature"),
        .init(
            testDescription: "no SignedHeaders",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), Signature=\(signature)",
            code: "IncompleteSignature"),
        .init(
            testDescription: "no Signature",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host",
            code: "IncompleteSignature"),
        .init(
            testDescription: "short Signature",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host, Signature=abc",
            code: "IncompleteSignature"),
        .init(
            testDescription: "component without =",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), host, Signature=\(signature)",
            code: "IncompleteSignature"),
        .init(
            testDescription: "scope too short",
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/aws4_request, SignedHeaders=host, Signature=\(signature)",
            code: "AuthorizationHeaderMalformed"),
        .init(
            testDescription: "scope date format",
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2024-05-24/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=\(signature)",
            code: "AuthorizationHeaderMalformed"),
        .init(
            testDescription: "scope terminator",
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=\(signature)",
            code: "AuthorizationHeaderMalformed"),
        .init(
            testDescription: "scope date is not X-Amz-Date's",
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240523/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=\(signature)",
            code: "AuthorizationHeaderMalformed"),
        .init(
            testDescription: "no date header",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host, Signature=\(signature)",
            code: "IncompleteSignature", date: nil),
        .init(
            testDescription: "unparseable X-Amz-Date",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host, Signature=\(signature)",
            code: "AccessDenied", date: (name: "X-Amz-Date", value: "2024-05-24T12:34:56Z")),
        .init(
            testDescription: "unparseable Date",
            authorization: "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host, Signature=\(signature)",
            code: "AccessDenied", date: (name: "Date", value: "yesterday")),
    ]

    @Test(arguments: malformedHeaders)
    func malformedAuthorizationIsRejectedInBothModes(_ example: MalformedHeader) {
        let request = Self.headerSigned(example.authorization, date: example.date)
        for verifier in [Fixture.strict, Fixture.lenient] {
            let error = verifier.verify(request, payloadHash: SigV4.emptyPayloadHash, now: Fixture.signingDate).failure
            #expect(error?.code == example.code, "\(error?.message ?? "accepted")")
        }
    }

    @Test func parseAuthorizationReadsEveryComponent() throws {
        // No spaces after commas and a different order: both seen from real clients.
        let parsed = try SigV4.parseAuthorization(
            "AWS4-HMAC-SHA256 Signature=\(Self.signature.uppercased()),SignedHeaders=host;X-Amz-Date,Credential=\(Self.credential)"
        )
        #expect(
            parsed
                == SigV4Authorization(
                    accessKeyID: "AKIDEXAMPLE",
                    scope: SigV4CredentialScope(date: "20240524", region: "us-east-1", service: "s3"),
                    signedHeaders: ["host", "x-amz-date"], signature: Self.signature))
        #expect(
            throws: SigV4Error(
                code: "IncompleteSignature",
                message:
                    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."
            )
        ) {
            try SigV4.parseAuthorization("AWS4-HMAC-SHA256 SignedHeaders=host")
        }
    }

    @Test func lenientModeAcceptsAnyWellFormedSignature() throws {
        let request = Self.headerSigned(
            "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host;x-amz-date, Signature=\(Self.signature)"
        )
        let identity = try Fixture.lenient.verify(request, payloadHash: SigV4.emptyPayloadHash, now: .distantFuture)
            .get()
        #expect(identity.accessKeyID == "AKIDEXAMPLE")
        #expect(identity.chunkSigner != nil, "the key is known, so chunks can still be checked")
        #expect(
            Fixture.strict.verify(request, payloadHash: SigV4.emptyPayloadHash, now: .distantFuture).failure
                == .signatureDoesNotMatch)
    }

    /// The AWS endpoint passes a lenient check only `headersReadWhenNotStrict`; if the verifier
    /// ever read another header in that mode, the outcome would change here.
    @Test func lenientOutcomeNeedsOnlyTheHeadersItDeclares() {
        var requests = botocoreVectors.map { ($0.request, $0.payloadHash) }
        requests += Self.malformedHeaders.map { (Self.headerSigned($0.authorization, date: $0.date), SigV4.emptyPayloadHash) }
        for (request, payloadHash) in requests {
            var reduced = request
            reduced.headers = request.headers.filter { header in
                SigV4Verifier.headersReadWhenNotStrict.contains(header.name.lowercased())
            }
            let full = Fixture.lenient.verify(request, payloadHash: payloadHash, now: Fixture.signingDate)
            let partial = Fixture.lenient.verify(reduced, payloadHash: payloadHash, now: Fixture.signingDate)
            #expect(full.failure == partial.failure, "\(request.headers)")
            #expect(full.success?.accessKeyID == partial.success?.accessKeyID)
            #expect(full.success?.signature == partial.success?.signature)
        }
    }

    @Test func requestWithoutSigV4IsMissingAuthenticationToken() {
        let request = SigV4Request(
            method: "GET", target: "/bucket/key?versionId=1", headers: [(name: "Host", value: "localhost")])
        for verifier in [Fixture.strict, Fixture.lenient] {
            #expect(
                verifier.verify(request, payloadHash: SigV4.emptyPayloadHash, now: Fixture.signingDate).failure
                    == .missingAuthenticationToken)
        }
    }

    @Test func headerAndQuerySignatureTogetherAreRejected() {
        var request = Self.headerSigned(
            "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host, Signature=\(Self.signature)")
        request.rawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        #expect(
            Fixture.lenient.verify(request, payloadHash: SigV4.emptyPayloadHash, now: Fixture.signingDate).failure?.code
                == "InvalidArgument")
    }

    struct MalformedPresign: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var replace: (name: String, value: String?)
        var message: String
    }

    static let malformedPresigns: [MalformedPresign] = [
        .init(testDescription: "no signature", replace: ("X-Amz-Signature", nil), message: "requires"),
        .init(testDescription: "no expiry", replace: ("X-Amz-Expires", nil), message: "requires"),
        .init(testDescription: "algorithm", replace: ("X-Amz-Algorithm", "AWS4-HMAC-SHA1"), message: "only supports"),
        .init(
            testDescription: "credential", replace: ("X-Amz-Credential", "AKIDEXAMPLE%2F20240524"),
            message: "Credential is mal-formed"),
        .init(
            testDescription: "credential terminator",
            replace: ("X-Amz-Credential", "AKIDEXAMPLE%2F20240524%2Fus-east-1%2Fs3%2Fx"), message: "incorrect terminal"),
        .init(
            testDescription: "credential date",
            replace: ("X-Amz-Credential", "AKIDEXAMPLE%2F20240525%2Fus-east-1%2Fs3%2Faws4_request"),
            message: "Invalid credential date"),
        .init(testDescription: "date", replace: ("X-Amz-Date", "20240524"), message: "ISO8601 Long Format"),
        .init(
            testDescription: "expiry not a number", replace: ("X-Amz-Expires", "soon"), message: "should be a number"),
        .init(testDescription: "negative expiry", replace: ("X-Amz-Expires", "-1"), message: "non-negative"),
        .init(testDescription: "expiry over a week", replace: ("X-Amz-Expires", "604801"), message: "less than a week"),
        .init(testDescription: "signature not hex", replace: ("X-Amz-Signature", "zz"), message: "64 hexadecimal"),
    ]

    @Test(arguments: malformedPresigns)
    func malformedPresignedURLIsRejectedInBothModes(_ example: MalformedPresign) throws {
        let vector = try #require(botocoreVectors.first { $0.name == "s3-presign-get" })
        var request = vector.request
        request.rawQuery = request.rawQuery.split(separator: "&").compactMap { pair -> String? in
            guard pair.hasPrefix(example.replace.name + "=") else { return String(pair) }
            return example.replace.value.map { "\(example.replace.name)=\($0)" }
        }.joined(separator: "&")
        for verifier in [Fixture.strict, Fixture.lenient] {
            let error = verifier.verify(request, payloadHash: vector.payloadHash, now: Fixture.signingDate).failure
            #expect(error?.code == "AuthorizationQueryParametersError")
            #expect(error?.message.contains(example.message) == true, "\(error?.message ?? "accepted")")
        }
    }

    @Test func declaredPayloadHashMustMatchTheBody() throws {
        let vector = try #require(botocoreVectors.first { $0.name == "s3-put-encoded-key" })
        let result = Fixture.lenient.verify(vector.request, payloadHash: Fixture.otherHash, now: Fixture.signingDate)
        #expect(result.failure?.code == "XAmzContentSHA256Mismatch")
        // Passing the declared value instead of a computed hash is how a streaming server defers the check.
        let declared = try #require(vector.request.value(forHeader: "x-amz-content-sha256"))
        #expect(Fixture.strict.verify(vector.request, payloadHash: declared, now: Fixture.signingDate).success != nil)
    }

    @Test func unsignedAmzHeadersAreRejectedByStrictS3() throws {
        let vector = try #require(botocoreVectors.first { $0.name == "s3-get-object" })
        let request = vector.request.adding("x-amz-acl", "public-read")
        #expect(
            Fixture.strict.verify(request, payloadHash: vector.payloadHash, now: Fixture.signingDate).failure
                == .unsignedHeaders)
        #expect(
            Fixture.lenient.verify(request, payloadHash: vector.payloadHash, now: Fixture.signingDate).success != nil)
    }

    @Test func dateHeaderCanStandInForXAmzDate() throws {
        let request = SigV4Request(
            method: "GET", rawPath: "/",
            headers: [(name: "Host", value: "localhost"), (name: "Date", value: "Fri, 24 May 2024 12:34:56 GMT")])
        let signed = request.adding(
            "Authorization",
            SigV4Signer.authorizationHeader(
                for: request, payloadHash: SigV4.emptyPayloadHash, credentials: Fixture.credentials,
                region: "us-east-1",
                service: "dynamodb", date: Fixture.signingDate))
        let identity = try Fixture.strict.verify(signed, payloadHash: SigV4.emptyPayloadHash, now: Fixture.signingDate)
            .get()
        #expect(identity.date == Fixture.signingDate)
    }

    /// A client that signs its path as sent, un-canonically, and one that signs the canonical form
    /// but sends it un-canonically, are both accepted; the signature covers the same resource.
    @Test(arguments: [("/bucket/it's%7e", "/bucket/it's%7e"), ("/bucket/it%27s~", "/bucket/it's%7e")])
    func nonCanonicalEncodingsVerify(signedPath: String, sentPath: String) throws {
        let request = SigV4Request(
            method: "GET", rawPath: signedPath, rawQuery: "q=a+b&r=%7e", headers: [(name: "Host", value: "localhost")])
        var signed = SigV4Signer.sign(
            request, payloadHash: SigV4.emptyPayloadHash, credentials: Fixture.credentials, region: "us-east-1",
            service: "s3", date: Fixture.signingDate)
        signed.rawPath = sentPath
        #expect(
            Fixture.strict.verify(signed, payloadHash: SigV4.emptyPayloadHash, now: Fixture.signingDate).success != nil)
    }

    @Test func signAndPresignRoundTripWithTemporaryCredentials() throws {
        let credentials = SigV4Credentials(accessKeyID: "ASIATEMP", secretAccessKey: "secret", sessionToken: "token/+=")
        let verifier = SigV4Verifier(credentials: [credentials], strict: true)
        let request = SigV4Request(
            method: "PUT", target: "/bucket/photo%20one.jpg?uploads", headers: [(name: "Host", value: "localhost:9000")]
        )
        let bodyHash = String(repeating: "1", count: 64)
        let signed = SigV4Signer.sign(
            request, payloadHash: bodyHash, credentials: credentials, region: "local", service: "s3",
            date: Fixture.signingDate)
        #expect(signed.value(forHeader: "x-amz-security-token") == "token/+=")
        #expect(signed.value(forHeader: "x-amz-content-sha256") == bodyHash)
        #expect(verifier.verify(signed, payloadHash: bodyHash, now: Fixture.signingDate).success?.region == "local")

        var presigned = request
        presigned.rawQuery = SigV4Signer.presign(
            request, credentials: credentials, region: "local", service: "s3", date: Fixture.signingDate, expires: 60)
        #expect(presigned.rawQuery.contains("X-Amz-Security-Token=token%2F%2B%3D"))
        #expect(
            verifier.verify(presigned, payloadHash: bodyHash, now: Fixture.signingDate).success?.isPresigned == true)
    }
}
