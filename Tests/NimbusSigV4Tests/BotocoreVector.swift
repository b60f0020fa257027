import Foundation
import Testing

@testable import NimbusSigV4

/// One request botocore signed (see `scripts/make-sigv4-vectors.py`), as it went on the wire.
struct BotocoreVector: Sendable, CustomTestStringConvertible {
    var name: String
    var service: String
    var region: String
    var method: String
    var rawPath: String
    /// As sent; for presigned URLs this includes the `X-Amz-*` parameters.
    var rawQuery: String
    /// The query before presigning (equal to `rawQuery` for header-signed requests).
    var unsignedQuery: String
    var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body: what a server that read the body passes to the verifier.
    var payloadHash: String
    var expires: Int?
    var sessionToken: String?
    var canonicalRequest: String
    var signature: String

    var testDescription: String { name }
    /// True for requests captured from a boto3 client, which adds unsigned headers after signing.
    var isFromClient: Bool { name.hasPrefix("boto3-") }

    /// The signed header names, from the canonical request's second-to-last line.
    var signedHeaders: [String] {
        canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last!
            .split(separator: ";").map(String.init)
    }
    var isPresigned: Bool { expires != nil }

    /// The request as the server receives it.
    var request: SigV4Request {
        SigV4Request(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers)
    }

    /// The request before botocore added its signature.
    var unsignedRequest: SigV4Request {
        SigV4Request(
            method: method, rawPath: rawPath, rawQuery: unsignedQuery,
            headers: headers.filter { $0.name.lowercased() != "authorization" })
    }

    var authorizationHeader: String? {
        headers.first { $0.name.lowercased() == "authorization" }?.value
    }

    var credentials: SigV4Credentials {
        SigV4Credentials(
            accessKeyID: botocoreAccessKeyID, secretAccessKey: botocoreSecretAccessKey, sessionToken: sessionToken)
    }

    /// Whether the body is covered by the signature (not `UNSIGNED-PAYLOAD`).
    var signsPayload: Bool { !canonicalRequest.hasSuffix("\n\(SigV4.unsignedPayload)") }
}

enum Fixture {
    static let signingDate = SigV4Timestamp.parse(botocoreTimestamp)!
    static let credentials = SigV4Credentials(
        accessKeyID: botocoreAccessKeyID, secretAccessKey: botocoreSecretAccessKey)
    static let strict = SigV4Verifier(credentials: [credentials], strict: true)
    static let lenient = SigV4Verifier(credentials: [credentials], strict: false)
    static let otherHash = String(repeating: "ab", count: 32)
    static let wellFormedSignature = String(repeating: "0", count: 64)
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }

    var success: Success? {
        if case .success(let value) = self { value } else { nil }
    }
}

extension SigV4Request {
    /// A copy with every `name` header's value replaced.
    func replacingHeader(_ name: String, with value: String) -> SigV4Request {
        var copy = self
        copy.headers = headers.map { $0.name.lowercased() == name ? (name: $0.name, value: value) : $0 }
        return copy
    }

    func adding(_ name: String, _ value: String) -> SigV4Request {
        var copy = self
        copy.headers.append((name: name, value: value))
        return copy
    }
}
