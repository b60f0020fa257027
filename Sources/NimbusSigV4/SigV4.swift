/// Wire constants of AWS Signature Version 4 and the `Authorization` header parser.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let chunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD"
    public static let terminator = "aws4_request"
    /// `x-amz-content-sha256` value when the body is not part of the signature.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// `x-amz-content-sha256` value of an `aws-chunked` body with a signature per chunk.
    public static let streamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// Hex SHA-256 of the empty string.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// X-Amz-Expires may not exceed a week.
    public static let maximumPresignExpiry = 604_800

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
    /// SignedHeaders=host;x-amz-date, Signature=<64 hex>`; components may be separated by `,` with or
    /// without spaces, in any order.
    public static func parseAuthorization(_ header: String) throws(SigV4Error) -> SigV4Authorization {
        let trimmed = header.trimmingWhitespace()
        let scheme = trimmed.prefix { !$0.isWhitespace }
        guard scheme == algorithm else {
            // S3's answer to SigV2, Bearer and friends.
            throw SigV4Error(code: "InvalidArgument", message: "Unsupported Authorization Type")
        }
        var fields: [String: String] = [:]
        for component in trimmed.dropFirst(scheme.count).split(separator: ",") {
            let component = component.trimmingWhitespace()
            guard !component.isEmpty else { continue }
            guard let equals = component.firstIndex(of: "=") else {
                throw .incomplete(
                    "Authorization header requires each component to be of the form key=value: \(component)")
            }
            let key = String(component[..<equals]).trimmingWhitespace()
            fields[key] = fields[key] ?? String(component[component.index(after: equals)...]).trimmingWhitespace()
        }
        let missing = ["Credential", "SignedHeaders", "Signature"].filter { (fields[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw .incomplete(missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " "))
        }
        let credential: (accessKeyID: String, scope: SigV4CredentialScope)
        do {
            credential = try SigV4CredentialScope.parseCredential(fields["Credential"]!)
        } catch {
            throw .headerMalformed(error.reason)
        }
        let signature = fields["Signature"]!
        guard signature.isHexSHA256 else {
            throw .incomplete("Authorization header requires 'Signature' to be 64 hexadecimal characters.")
        }
        return SigV4Authorization(
            accessKeyID: credential.accessKeyID, scope: credential.scope,
            signedHeaders: fields["SignedHeaders"]!.split(separator: ";").map { $0.lowercased() },
            signature: signature.lowercased())
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// 64 hex digits: the shape of every SigV4 signature and payload hash.
    var isHexSHA256: Bool {
        utf8.count == 64 && utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || (($0 | 0x20) >= 97 && ($0 | 0x20) <= 102) }
    }
}
