import HTTPTypes
import Hummingbird

/// ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning.
extension S3Service {
    func listBuckets(_ request: S3Request) throws -> Response {
        let prefix = request.query["prefix"] ?? ""
        var xml = XMLWriter()
        xml.openRoot("ListAllMyBucketsResult")
        ownerXML(&xml)
        xml.open("Buckets")
        for bucket in store.buckets where bucket.name.hasPrefix(prefix) {
            let configuration = bucket.configuration
            xml.block("Bucket") { xml in
                xml.element("Name", bucket.name)
                xml.element("CreationDate", HTTPDate.iso8601(configuration.creationDate))
                xml.element("BucketRegion", configuration.region)
            }
        }
        xml.close("Buckets")
        if !prefix.isEmpty { xml.element("Prefix", prefix) }
        xml.close("ListAllMyBucketsResult")
        return xmlResponse(xml)
    }

    func createBucket(_ request: S3Request, bucket name: String) async throws -> Response {
        guard BucketName.isValid(name) else { throw S3Error.invalidBucketName(name) }
        var region = configuration.region
        let body = try await collectBody(request)
        if !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard let document = try? XMLReader.parse(body), document.name == "CreateBucketConfiguration" else {
                throw S3Error.malformedXML
            }
            if let constraint = document.value("LocationConstraint") {
                guard Self.isRegionName(constraint) else {
                    throw S3Error(
                        "InvalidLocationConstraint", "The specified location-constraint is not valid",
                        details: [("LocationConstraint", constraint)])
                }
                region = constraint.isEmpty ? configuration.region : constraint
            }
        }
        let now = self.now
        _ = try await storageWork { [store, region] in try store.createBucket(name, region: region, now: now) }
        return emptyResponse(headers: [.location: "/\(name)"])
    }

    func headBucket(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        return emptyResponse(headers: [HTTPField.Name("x-amz-bucket-region")!: bucket.configuration.region])
    }

    func deleteBucket(_ request: S3Request, bucket name: String) throws -> Response {
        try store.deleteBucket(name)
        return emptyResponse(.noContent)
    }

    func getBucketLocation(_ request: S3Request, bucket name: String) throws -> Response {
        let region = try store.bucket(name).configuration.region
        var xml = XMLWriter()
        // us-east-1 is reported as an empty constraint, as S3 does.
        xml.raw("<LocationConstraint xmlns=\"\(XMLWriter.namespace)\">")
        if region != "us-east-1" { xml.raw(XMLWriter.escaped(region)) }
        xml.close("LocationConstraint")
        return xmlResponse(xml)
    }

    /// The owner has full control, always: what tools reading ACLs expect.
    func getACL(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        if request.rawKey != nil {
            let key = try request.key()
            guard bucket.summary(of: key) != nil else { throw S3Error.noSuchKey(key.string) }
        }
        var xml = XMLWriter()
        xml.openRoot("AccessControlPolicy")
        ownerXML(&xml)
        xml.block("AccessControlList") { xml in
            xml.raw("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">")
            xml.element("ID", configuration.ownerID)
            xml.element("DisplayName", configuration.ownerDisplayName)
            xml.raw("</Grantee><Permission>FULL_CONTROL</Permission></Grant>")
        }
        xml.close("AccessControlPolicy")
        return xmlResponse(xml)
    }

    private static func isRegionName(_ name: String) -> Bool {
        name.isEmpty || (name.count <= 32 && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") })
            || name == "EU"
    }
}
