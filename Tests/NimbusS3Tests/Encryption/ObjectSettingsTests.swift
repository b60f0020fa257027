import HTTPTypes
import Testing

@testable import NimbusS3

@Suite struct ObjectSettingsTests {
    @Test(arguments: StorageClass.allCases)
    func everyStorageClassAWSNamesIsAccepted(storageClass: StorageClass) throws {
        #expect(try StorageClass(header: storageClass.rawValue) == storageClass)
    }

    @Test(arguments: ["standard", "GLACIER_DEEP", "", "COLD"])
    func otherStorageClassesAreRefused(name: String) {
        do {
            _ = try StorageClass(header: name)
            Issue.record("\(name) accepted")
        } catch {
            #expect(error.code == "InvalidStorageClass")
            #expect(error.status == .badRequest)
        }
    }

    @Test func noStorageClassIsStandard() throws {
        #expect(try StorageClass(header: nil) == .standard)
    }

    static func encryption(_ pairs: [String: String]) throws(S3Error) -> ServerSideEncryption? {
        try ServerSideEncryption(request: HTTPFields(pairs))
    }

    @Test func encryptionHeaders() throws {
        #expect(try Self.encryption([:]) == nil)
        #expect(try Self.encryption(["x-amz-server-side-encryption": "AES256"]) == .s3Managed)
        #expect(try Self.encryption(["x-amz-server-side-encryption": "aws:kms"]) == .init(algorithm: .kms))
        let withKey = try Self.encryption([
            "x-amz-server-side-encryption": "aws:kms:dsse", "x-amz-server-side-encryption-aws-kms-key-id": "alias/app",
        ])
        #expect(withKey == .init(algorithm: .dualLayerKMS, kmsKeyID: "alias/app"))
        var headers = HTTPFields()
        withKey?.apply(to: &headers)
        #expect(headers[HTTPField.Name("x-amz-server-side-encryption")!] == "aws:kms:dsse")
        #expect(headers[HTTPField.Name("x-amz-server-side-encryption-aws-kms-key-id")!] == "alias/app")
    }

    @Test(arguments: [
        ["x-amz-server-side-encryption": "aes256"],
        ["x-amz-server-side-encryption": "SSE-C"],
        ["x-amz-server-side-encryption": ""],
        ["x-amz-server-side-encryption": "AES256", "x-amz-server-side-encryption-aws-kms-key-id": "k"],
        ["x-amz-server-side-encryption-aws-kms-key-id": "k"],
    ])
    func badEncryptionHeadersAreInvalidArgument(pairs: [String: String]) {
        do {
            _ = try Self.encryption(pairs)
            Issue.record("\(pairs) accepted")
        } catch {
            #expect(error.code == "InvalidArgument")
        }
    }

    @Test func bucketEncryptionDocuments() throws {
        let kms = try BucketEncryption(
            document: try XMLReader.parse(
                "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:key</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"
            ))
        #expect(kms == BucketEncryption(encryption: .init(algorithm: .kms, kmsKeyID: "arn:key"), bucketKeyEnabled: true))
        #expect(try BucketEncryption(document: try XMLReader.parse(kms.document.text)) == kms)
        let standard = BucketEncryption.s3Managed.document.text
        #expect(standard.contains("<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"))
    }

    @Test(arguments: [
        ("<ServerSideEncryptionConfiguration/>", "MalformedXML"),
        ("<ServerSideEncryptionConfiguration><Rule/></ServerSideEncryptionConfiguration>", "MalformedXML"),
        ("<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>", "MalformedXML"),
        ("<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>", "InvalidArgument"),
        ("<Other/>", "MalformedXML"),
    ])
    func badBucketEncryptionDocuments(body: String, code: String) throws {
        let document = try XMLReader.parse(body)
        do {
            _ = try BucketEncryption(document: document)
            Issue.record("\(body) accepted")
        } catch {
            #expect(error.code == code)
        }
    }
}
