import Crypto
import Foundation

/// The key of one credential scope: HMAC chain `AWS4`+secret → date → region → service → `aws4_request`.
struct SigningKey: Sendable {
    let scope: SigV4CredentialScope
    /// Raw bytes rather than `SymmetricKey`, which swift-crypto does not mark Sendable.
    private let key: [UInt8]

    init(secretAccessKey: String, scope: SigV4CredentialScope) {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for step in [scope.date, scope.region, scope.service, SigV4.terminator] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(step.utf8), using: key))
        }
        self.scope = scope
        self.key = key.withUnsafeBytes { Array($0) }
    }

    /// Hex HMAC-SHA256 of `stringToSign`.
    func sign(_ stringToSign: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: SymmetricKey(data: key)).hexString
    }

    /// The string to sign of a request signed at `timestamp` (`yyyyMMdd'T'HHmmss'Z'`).
    func stringToSign(_ canonicalRequest: CanonicalRequest, timestamp: String) -> String {
        [SigV4.algorithm, timestamp, scope.description, sha256Hex(Array(canonicalRequest.text.utf8))]
            .joined(separator: "\n")
    }

    func signature(of canonicalRequest: CanonicalRequest, timestamp: String) -> String {
        sign(stringToSign(canonicalRequest, timestamp: timestamp))
    }
}

func sha256Hex(_ bytes: some Collection<UInt8>) -> String {
    var hasher = SHA256()
    if bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
        hasher.update(data: Array(bytes))
    }
    return hasher.finalize().hexString
}

/// Compares two signatures in time independent of where they differ.
func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let lhs = Array(lhs.utf8)
    let rhs = Array(rhs.utf8)
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices {
        difference |= lhs[index] ^ rhs[index]
    }
    return difference == 0
}

extension Sequence<UInt8> {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
