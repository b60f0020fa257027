import Testing

@testable import NimbusSigV4

/// The byte-level `Authorization` parser and header lookup: every shape the String-based parser
/// accepted or rejected, with the same results and messages.
@Suite struct AuthorizationParsingTests {
    static let signature = String(repeating: "0", count: 63) + "f"
    static let credential = "AKIDEXAMPLE/20240524/us-east-1/dynamodb/aws4_request"
    static let scope = SigV4CredentialScope(date: "20240524", region: "us-east-1", service: "dynamodb")

    @Test func surroundingAndInnerWhitespaceIsIgnored() throws {
        let parsed = try SigV4.parseAuthorization(
            "  AWS4-HMAC-SHA256   Credential = \(Self.credential) ,\tSignedHeaders=content-type;host;x-amz-date;x-amz-target ,  Signature=\(Self.signature)  ")
        #expect(
            parsed
                == SigV4Authorization(
                    accessKeyID: "AKIDEXAMPLE", scope: Self.scope,
                    signedHeaders: ["content-type", "host", "x-amz-date", "x-amz-target"], signature: Self.signature))
    }

    @Test func firstOccurrenceWinsAndUnknownComponentsAreIgnored() throws {
        let other = String(repeating: "1", count: 64)
        let parsed = try SigV4.parseAuthorization(
            "AWS4-HMAC-SHA256 Foo=bar, Credential=\(Self.credential), Signature=\(Self.signature), SignedHeaders=Host;;X-Amz-Date;, Signature=\(other),,")
        #expect(parsed.signature == Self.signature)
        #expect(parsed.signedHeaders == ["host", "x-amz-date"])
    }

    @Test func signatureIsLowercasedAndMustBeHex() throws {
        let parsed = try SigV4.parseAuthorization(
            "AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host, Signature=\(Self.signature.uppercased())")
        #expect(parsed.signature == Self.signature)
        for bad in [String(repeating: "g", count: 64), String(repeating: "a", count: 63), String(repeating: "a", count: 65)] {
            #expect(
                throws: SigV4Error(
                    code: "IncompleteSignature", message: "Authorization header requires 'Signature' to be 64 hexadecimal characters.")
            ) {
                try SigV4.parseAuthorization("AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders=host, Signature=\(bad)")
            }
        }
    }

    @Test func malformedHeadersKeepTheirMessages() {
        #expect(throws: SigV4Error(code: "InvalidArgument", message: "Unsupported Authorization Type")) {
            try SigV4.parseAuthorization("AWS4-HMAC-SHA1 Credential=\(Self.credential)")
        }
        #expect(throws: SigV4Error(code: "InvalidArgument", message: "Unsupported Authorization Type")) {
            try SigV4.parseAuthorization("Bearer abc")
        }
        #expect(
            throws: SigV4Error(
                code: "IncompleteSignature",
                message: "Authorization header requires each component to be of the form key=value: SignedHeaders")
        ) {
            try SigV4.parseAuthorization("AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders ")
        }
        // Present but empty counts as missing.
        #expect(
            throws: SigV4Error(code: "IncompleteSignature", message: "Authorization header requires 'SignedHeaders' parameter.")
        ) {
            try SigV4.parseAuthorization("AWS4-HMAC-SHA256 Credential=\(Self.credential), SignedHeaders= , Signature=\(Self.signature)")
        }
        #expect(
            throws: SigV4Error(
                code: "IncompleteSignature",
                message:
                    "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter."
            )
        ) {
            try SigV4.parseAuthorization("AWS4-HMAC-SHA256")
        }
        let malformedCredential = Result { () throws(SigV4Error) in
            try SigV4.parseAuthorization(
                "AWS4-HMAC-SHA256 Credential=AKID/2024/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=\(Self.signature)")
        }
        #expect(malformedCredential.failure?.code == "AuthorizationHeaderMalformed")
    }

    @Test func headerLookupIgnoresCaseWithoutMatchingPrefixes() {
        let request = SigV4Request(
            method: "POST", rawPath: "/",
            headers: [("X-Amz-Date", "20240524T000000Z"), ("x-amz-date-extra", "no"), ("AUTHORIZATION", "a"), ("Date", "d")])
        #expect(request.value(forHeader: "x-amz-date") == "20240524T000000Z")
        #expect(request.value(forHeader: "authorization") == "a")
        #expect(request.value(forHeader: "date") == "d")
        #expect(request.value(forHeader: "x-amz-dat") == nil)
        #expect(request.value(forHeader: "x-amz-content-sha256") == nil)
        #expect(SigV4Request.name("X-Amz-Target", is: "x-amz-target"))
        #expect(!SigV4Request.name("X-Amz-Target", is: "x-amz-targe"))
        #expect(!SigV4Request.name("x_amz", is: "x-amz"))
        // Only letters fold: '@' | 0x20 is '`', and they are different names.
        #expect(!SigV4Request.name("@", is: "`"))
    }

    @Test func trimmingKeepsPlainValuesAndTrimsPaddedOnes() {
        #expect("20240524T000000Z".trimmingWhitespace() == "20240524T000000Z")
        #expect(" 20240524T000000Z\t".trimmingWhitespace() == "20240524T000000Z")
        #expect("   ".trimmingWhitespace() == "")
        #expect("".trimmingWhitespace() == "")
        #expect("x".trimmingWhitespace() == "x")
    }
}
