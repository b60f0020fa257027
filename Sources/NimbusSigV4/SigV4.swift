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
        // One pass over the UTF-8 bytes, keeping only the ranges of the three components it needs:
        // it runs for every request, and splitting into a dictionary of Strings was a twentieth of
        // a GetItem's CPU time. Separators are ASCII.
        var header = header
        return try header.withUTF8 { bytes in Result { () throws(SigV4Error) in try parseAuthorization(bytes) } }.get()
    }

    private static func parseAuthorization(_ bytes: UnsafeBufferPointer<UInt8>) throws(SigV4Error) -> SigV4Authorization {
        let all = trimmed(bytes, 0..<bytes.count)
        var schemeEnd = all.lowerBound
        while schemeEnd < all.upperBound, !isASCIIWhitespace(bytes[schemeEnd]) { schemeEnd += 1 }
        guard UnsafeBufferPointer(rebasing: bytes[all.lowerBound..<schemeEnd]).elementsEqual(algorithm.utf8) else {
            // S3's answer to SigV2, Bearer and friends.
            throw SigV4Error(code: "InvalidArgument", message: "Unsupported Authorization Type")
        }
        // The first occurrence of each component wins, as it did when they were kept by name.
        var credential: Range<Int>?, signedHeaders: Range<Int>?, signature: Range<Int>?
        var start = schemeEnd
        while start < all.upperBound {
            var end = start
            while end < all.upperBound, bytes[end] != UInt8(ascii: ",") { end += 1 }
            let component = trimmed(bytes, start..<end)
            start = end + 1
            guard !component.isEmpty else { continue }
            guard let equals = component.first(where: { bytes[$0] == UInt8(ascii: "=") }) else {
                throw .incomplete(
                    "Authorization header requires each component to be of the form key=value: \(string(bytes, component))")
            }
            let key = UnsafeBufferPointer(rebasing: bytes[trimmed(bytes, component.lowerBound..<equals)])
            let value = trimmed(bytes, (equals + 1)..<component.upperBound)
            if key.elementsEqual("Credential".utf8) {
                credential = credential ?? value
            } else if key.elementsEqual("SignedHeaders".utf8) {
                signedHeaders = signedHeaders ?? value
            } else if key.elementsEqual("Signature".utf8) {
                signature = signature ?? value
            }
        }
        guard let credential, let signedHeaders, let signature, !credential.isEmpty, !signedHeaders.isEmpty,
            !signature.isEmpty
        else {
            let missing = [("Credential", credential), ("SignedHeaders", signedHeaders), ("Signature", signature)]
                .filter { $0.1?.isEmpty ?? true }
            throw .incomplete(missing.map { "Authorization header requires '\($0.0)' parameter." }.joined(separator: " "))
        }
        let scope: (accessKeyID: String, scope: SigV4CredentialScope)
        do throws(SigV4CredentialScope.ParseError) {
            scope = try SigV4CredentialScope.parseCredential(UnsafeBufferPointer(rebasing: bytes[credential]))
        } catch {
            throw .headerMalformed(error.reason)
        }
        let signatureBytes = UnsafeBufferPointer(rebasing: bytes[signature])
        guard signatureBytes.count == 64, signatureBytes.allSatisfy(isHexDigit) else {
            throw .incomplete("Authorization header requires 'Signature' to be 64 hexadecimal characters.")
        }
        var names: [String] = []
        var nameStart = signedHeaders.lowerBound
        while nameStart < signedHeaders.upperBound {
            var nameEnd = nameStart
            while nameEnd < signedHeaders.upperBound, bytes[nameEnd] != UInt8(ascii: ";") { nameEnd += 1 }
            if nameEnd > nameStart { names.append(lowercased(bytes, nameStart..<nameEnd)) }
            nameStart = nameEnd + 1
        }
        return SigV4Authorization(
            accessKeyID: scope.accessKeyID, scope: scope.scope, signedHeaders: names,
            signature: lowercased(bytes, signature))
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, isASCIIWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isASCIIWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `String.lowercased()` of the bytes; ASCII is lowered in place, anything else goes the long way.
    private static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard slice.allSatisfy({ $0 < 0x80 }) else { return string(bytes, range).lowercased() }
        guard slice.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return string(bytes, range) }
        return String(unsafeUninitializedCapacity: slice.count) { out in
            for (i, byte) in slice.enumerated() {
                out[i] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            }
            return slice.count
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 102)
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

}

extension StringProtocol {
    /// Without leading and trailing whitespace. Finds the two ends and copies once: building the
    /// String through `reversed()` twice went character by character through generic wrappers and
    /// was most of the CPU time of a small request.
    func trimmingWhitespace() -> String {
        // Header values almost never carry outer whitespace: printable ASCII at both ends needs no search.
        let whole = String(self)  // free when Self is String, the usual case
        if let first = whole.utf8.first, let last = whole.utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return whole
        }
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
