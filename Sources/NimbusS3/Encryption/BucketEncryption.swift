/// A bucket's default encryption (PutBucketEncryption): what new objects get when their write
/// names none. A bucket without one uses SSE-S3, as every S3 bucket has since January 2023.
struct BucketEncryption: Sendable, Equatable, Codable {
    var encryption: ServerSideEncryption
    var bucketKeyEnabled: Bool

    static let s3Managed = BucketEncryption(encryption: .s3Managed, bucketKeyEnabled: false)

    /// Reads a `ServerSideEncryptionConfiguration` document: one `Rule` with
    /// `ApplyServerSideEncryptionByDefault/SSEAlgorithm` (and `KMSMasterKeyID` for KMS) and an
    /// optional `BucketKeyEnabled`.
    init(document: XMLTree) throws(S3Error) {
        guard document.name == "ServerSideEncryptionConfiguration", document.children("Rule").count == 1,
            let rule = document.child("Rule"), let defaults = rule.child("ApplyServerSideEncryptionByDefault"),
            let name = defaults.value("SSEAlgorithm")
        else { throw S3Error.malformedXML }
        guard let algorithm = ServerSideEncryption.Algorithm(rawValue: name) else {
            throw S3Error.malformedXML
        }
        let keyID = defaults.value("KMSMasterKeyID")
        if keyID != nil && algorithm == .aes256 {
            throw S3Error.invalidArgument(
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
        }
        let bucketKey = rule.value("BucketKeyEnabled")
        guard bucketKey == nil || bucketKey == "true" || bucketKey == "false" else { throw S3Error.malformedXML }
        self.init(
            encryption: ServerSideEncryption(algorithm: algorithm, kmsKeyID: keyID), bucketKeyEnabled: bucketKey == "true")
    }

    init(encryption: ServerSideEncryption, bucketKeyEnabled: Bool) {
        self.encryption = encryption
        self.bucketKeyEnabled = bucketKeyEnabled
    }

    /// The GetBucketEncryption document.
    var document: XMLWriter {
        var xml = XMLWriter()
        xml.openRoot("ServerSideEncryptionConfiguration")
        xml.block("Rule") { xml in
            xml.block("ApplyServerSideEncryptionByDefault") { xml in
                xml.element("SSEAlgorithm", encryption.algorithm.rawValue)
                xml.optional("KMSMasterKeyID", encryption.kmsKeyID)
            }
            xml.element("BucketKeyEnabled", bucketKeyEnabled)
        }
        xml.close("ServerSideEncryptionConfiguration")
        return xml
    }
}
