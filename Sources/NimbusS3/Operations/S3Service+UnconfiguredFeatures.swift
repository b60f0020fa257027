import Hummingbird

/// Bucket features Nimbus does not implement (writing them is 501 NotImplemented), read back the
/// way S3 reads a bucket that never had them configured. Tools that read a bucket's whole state
/// before managing it (Terraform's bucket refresh, `aws s3api get-bucket-*` scripts) then work.
extension S3Service {
    private enum Unconfigured {
        /// S3's 404 for a configuration that does not exist.
        case missing(code: String, message: String)
        /// The document S3 returns when nothing is configured.
        case document(root: String, elements: [(String, String)] = [])
    }

    private static let unconfiguredBucketReads: [String: Unconfigured] = [
        "policy": .missing(code: "NoSuchBucketPolicy", message: "The bucket policy does not exist"),
        "policyStatus": .missing(code: "NoSuchBucketPolicy", message: "The bucket policy does not exist"),
        "publicAccessBlock": .missing(
            code: "NoSuchPublicAccessBlockConfiguration", message: "The public access block configuration was not found"),
        "website": .missing(
            code: "NoSuchWebsiteConfiguration", message: "The specified bucket does not have a website configuration"),
        "replication": .missing(
            code: "ReplicationConfigurationNotFoundError", message: "The replication configuration was not found"),
        "object-lock": .missing(
            code: "ObjectLockConfigurationNotFoundError", message: "Object Lock configuration does not exist for this bucket"),
        "notification": .document(root: "NotificationConfiguration"),
        "logging": .document(root: "BucketLoggingStatus"),
        "accelerate": .document(root: "AccelerateConfiguration"),
        "requestPayment": .document(root: "RequestPaymentConfiguration", elements: [("Payer", "BucketOwner")]),
    ]

    /// The codes above, all 404 (`S3Error.status`).
    static let unconfiguredCodes: Set<String> = Set(unconfiguredBucketReads.values.compactMap { read in
        if case .missing(let code, _) = read { return code }
        return nil
    })

    /// Answers a GET of a bucket sub-resource Nimbus never configures; nil for any other request.
    func readUnconfigured(_ request: S3Request, bucket name: String) throws -> Response? {
        guard request.method == .get,
            let read = request.query.items.lazy.compactMap({ Self.unconfiguredBucketReads[$0.name] }).first
        else { return nil }
        _ = try store.bucket(name)
        switch read {
        case .missing(let code, let message):
            throw S3Error(code, message, details: [("BucketName", name)])
        case .document(let root, let elements):
            var xml = XMLWriter()
            xml.openRoot(root)
            for (element, value) in elements { xml.element(element, value) }
            xml.close(root)
            return xmlResponse(xml)
        }
    }

    /// ACLs are off, as with S3's default for new buckets: the owner owns every object, and ACL
    /// writes are refused (501 here, where S3 says AccessControlListNotSupported).
    func getBucketOwnershipControls(_ request: S3Request, bucket name: String) throws -> Response {
        _ = try store.bucket(name)
        var xml = XMLWriter()
        xml.openRoot("OwnershipControls")
        xml.block("Rule") { xml in xml.element("ObjectOwnership", "BucketOwnerEnforced") }
        xml.close("OwnershipControls")
        return xmlResponse(xml)
    }
}
