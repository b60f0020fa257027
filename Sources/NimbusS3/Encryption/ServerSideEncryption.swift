import HTTPTypes

/// How an object is (said to be) encrypted at rest. Since January 2023 S3 encrypts every new
/// object, with SSE-S3 unless told otherwise; Nimbus records and reports the setting, and stores
/// the bytes as they are (the README says so).
struct ServerSideEncryption: Sendable, Equatable, Codable {
    enum Algorithm: String, Sendable, Codable {
        case aes256 = "AES256"
        case kms = "aws:kms"
        case dualLayerKMS = "aws:kms:dsse"
    }

    var algorithm: Algorithm
    /// The KMS key named by the writer (`aws:kms` and `aws:kms:dsse` only).
    var kmsKeyID: String?

    /// SSE-S3: what S3 applies when neither the request nor the bucket asks for something else.
    static let s3Managed = ServerSideEncryption(algorithm: .aes256)

    static let algorithmHeader = "x-amz-server-side-encryption"
    static let keyHeader = "x-amz-server-side-encryption-aws-kms-key-id"

    init(algorithm: Algorithm, kmsKeyID: String? = nil) {
        self.algorithm = algorithm
        self.kmsKeyID = kmsKeyID
    }

    /// The encryption a write asks for with `x-amz-server-side-encryption` (and its KMS key), or
    /// nil when it asks for none: then the bucket's default applies.
    init?(request headers: HTTPFields) throws(S3Error) {
        let keyID = headers[Self.keyField]
        guard let value = headers[Self.algorithmField] else {
            guard keyID == nil else { throw Self.keyWithoutKMS(keyID) }
            return nil
        }
        guard let algorithm = Algorithm(rawValue: value) else {
            throw S3Error.invalidArgument(
                "The encryption method specified is not supported", name: Self.algorithmHeader, value: value)
        }
        guard algorithm != .aes256 || keyID == nil else { throw Self.keyWithoutKMS(keyID) }
        self.init(algorithm: algorithm, kmsKeyID: keyID)
    }

    /// The response headers S3 sends for an object written or read with this encryption.
    func apply(to headers: inout HTTPFields) {
        headers[Self.algorithmField] = algorithm.rawValue
        if let kmsKeyID { headers[Self.keyField] = kmsKeyID }
    }

    private static func keyWithoutKMS(_ keyID: String?) -> S3Error {
        S3Error.invalidArgument(
            "Server Side Encryption with KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
            name: keyHeader, value: keyID)
    }

    private static let algorithmField = HTTPField.Name(algorithmHeader)!
    private static let keyField = HTTPField.Name(keyHeader)!
}
