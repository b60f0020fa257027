/// Wire constants of AWS Signature Version 4 and the `Authorization` header parser.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let chunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD"
    /// Algorithm of the signature over the trailing headers of a signed streaming upload.
    public static let trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER"
    public static let terminator = "aws4_request"
    /// `x-amz-content-sha256` value when the body is not part of the signature.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// `x-amz-content-sha256` value of an `aws-chunked` body with a signature per chunk.
    public static let streamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// The same with trailing headers (a checksum), signed by `x-amz-trailer-signature`.
    public static let streamingPayloadWithTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
    /// Hex SHA-256 of the empty string.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// X-Amz-Expires may not exceed a week.
    public static let maximumPresignExpiry = 604_800

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
    /// SignedHeaders=host;x-amz-date, Signature=<64 hex>`; components may be separated by `,` with or
    /// without spaces, in any order.
    public static func parseAuthorization(_ header: String) throws(SigV4Error) -> SigV4Authorization {
        // On UTF-8 bytes: it runs for every request, and Character-by-Character splitting and
        // trimming was a tenth of a small request's CPU time. Separators are ASCII.
        let bytes = trimmed(Array(header.utf8)[...])
        let schemeEnd = bytes.firstIndex(where: isASCIIWhitespace) ?? bytes.endIndex
        guard bytes[..<schemeEnd].elementsEqual(algorithm.utf8) else {
            // S3's answer to SigV2, Bearer and friends.
            throw SigV4Error(code: "InvalidArgument", message: "Unsupported Authorization Type")
        }
        var fields: [String: String] = [:]
        for component in bytes[schemeEnd...].split(separator: UInt8(ascii: ",")) {
            let component = trimmed(component)
            guard !component.isEmpty else { continue }
            guard let equals = component.firstIndex(of: UInt8(ascii: "=")) else {
                throw .incomplete(
                    "Authorization header requires each component to be of the form key=value: \(String(decoding: component, as: UTF8.self))")
            }
            let key = String(decoding: trimmed(component[..<equals]), as: UTF8.self)
            if fields[key] == nil {
                fields[key] = String(decoding: trimmed(component[(equals + 1)...]), as: UTF8.self)
            }
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

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, isASCIIWhitespace(first) { bytes.removeFirst() }
        while let last = bytes.last, isASCIIWhitespace(last) { bytes.removeLast() }
        return bytes
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace. Finds the two ends and copies once: building the
    /// String through `reversed()` twice went character by character through generic wrappers and
    /// was most of the CPU time of a small request.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }

    /// 64 hex digits: the shape of every SigV4 signature and payload hash.
    var isHexSHA256: Bool {
        utf8.count == 64 && utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || (($0 | 0x20) >= 97 && ($0 | 0x20) <= 102) }
    }
}
