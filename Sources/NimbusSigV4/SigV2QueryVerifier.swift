import Crypto
import Foundation

/// S3's legacy query-string authentication (`AWSAccessKeyId`, `Expires`, `Signature`): what
/// boto3's `generate_presigned_url` produces by default for a custom endpoint in us-east-1.
public struct SigV2QueryVerifier: Sendable {
    private let secrets: [String: String]
    public let strict: Bool

    public init(credentials: [SigV4Credentials], strict: Bool) {
        secrets = Dictionary(credentials.map { ($0.accessKeyID, $0.secretAccessKey) }, uniquingKeysWith: { first, _ in first })
        self.strict = strict
    }

    /// Checks expiry always, and the signature in strict mode. `rawPath` is the
    /// percent-encoded path-style resource (`/bucket/key`).
    public func verify(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)], now: Date) -> Result<String, SigV4Error> {
        let query = Self.parameters(rawQuery)
        guard let accessKey = query["AWSAccessKeyId"], let expires = query["Expires"].flatMap(Double.init),
            let signature = query["Signature"]
        else {
            return .failure(SigV4Error(code: "AccessDenied", message: "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"))
        }
        guard now.timeIntervalSince1970 <= expires else {
            return .failure(SigV4Error(code: "AccessDenied", message: "Request has expired"))
        }
        guard strict else { return .success(accessKey) }
        guard let secret = secrets[accessKey] else {
            return .failure(SigV4Error(code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records."))
        }
        let expected = Self.signature(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers, expires: query["Expires"]!, secret: secret)
        guard Self.constantTimeEquals(expected, signature) else {
            return .failure(SigV4Error(code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided. Check your key and signing method."))
        }
        return .success(accessKey)
    }

    /// Checks the `signature` of an S3 POST form signed with SigV2: base64 HMAC-SHA1 of its base64
    /// `policy` field. Not strict: any signature from any key passes.
    public func verifyPostPolicy(_ policy: String, accessKeyID: String, signature: String) -> Result<Void, SigV4Error> {
        guard strict else { return .success(()) }
        guard let secret = secrets[accessKeyID] else {
            return .failure(SigV4Error(code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records."))
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(policy.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        guard Self.constantTimeEquals(Data(mac).base64EncodedString(), signature) else {
            return .failure(SigV4Error(code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided. Check your key and signing method."))
        }
        return .success(())
    }

    /// Base64 HMAC-SHA1 over S3's SigV2 string to sign.
    static func signature(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)], expires: String, secret: String) -> String {
        func header(_ name: String) -> String { headers.first { $0.name.lowercased() == name }?.value ?? "" }
        let amzHeaders = headers
            .filter { $0.name.lowercased().hasPrefix("x-amz-") }
            .map { ($0.name.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)) }
            .sorted { $0.0 < $1.0 }
            .map { "\($0.0):\($0.1)\n" }
            .joined()
        let stringToSign = [method, header("content-md5"), header("content-type"), expires].joined(separator: "\n")
            + "\n" + amzHeaders + canonicalResource(rawPath: rawPath, rawQuery: rawQuery)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The path plus the sub-resources S3 signs (`?uploadId=…`, `?versionId=…`, …).
    private static func canonicalResource(rawPath: String, rawQuery: String) -> String {
        let signed: Set<String> = [
            "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
            "requestPayment", "restore", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions",
            "website", "response-content-type", "response-content-language", "response-expires",
            "response-cache-control", "response-content-disposition", "response-content-encoding",
        ]
        let parts = rawQuery.split(separator: "&").compactMap { pair -> (String, String?)? in
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard signed.contains(kv[0]) else { return nil }
            return (kv[0], kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : nil)
        }.sorted { $0.0 < $1.0 }
        guard !parts.isEmpty else { return rawPath }
        let rendered = parts.map { (name: String, value: String?) -> String in
            guard let value else { return name }
            return "\(name)=\(value)"
        }
        return rawPath + "?" + rendered.joined(separator: "&")
    }

    private static func parameters(_ rawQuery: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in rawQuery.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            result[kv[0]] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
        }
        return result
    }

    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
