import NimbusCore

/// `AWS::S3::Bucket` → `BucketDefinition` (name: `BucketName`, else the logical id lowercased).
struct BucketReader {
    let context: TemplateContext

    func read(_ entry: ResourceEntry) throws(TemplateError) -> BucketDefinition {
        let propertiesPath = TemplatePath.join(entry.path, "Properties")
        let properties = try PropertyMap(entry.properties, path: propertiesPath, line: entry.node.line, context: context)
        properties.warnAboutUnsupported(supported: Self.supported, quiet: Self.quiet, reasons: Self.reasons)
        let name = try context.physicalName(of: entry.logicalID, line: properties.line, at: properties.path("BucketName"))
        guard Self.isValidName(name) else {
            let written = properties.raw("BucketName")
            throw .at(written == nil ? entry.path : properties.path("BucketName"), line: written?.line ?? entry.node.line,
                "invalid bucket name '\(name)': use 3–63 lowercase letters, digits, '.' or '-'")
        }
        var fields: [String: JSONValue] = [:]
        if let node = entry.properties, let resolved = try context.resolve(node, at: propertiesPath) {
            fields = resolved.json.objectValue ?? [:]
        }
        fields["BucketName"] = .string(name)
        return BucketDefinition(logicalID: entry.logicalID, bucketName: name, properties: .object(fields))
    }

    static let supported: Set<String> = [
        "BucketName", "LifecycleConfiguration", "CorsConfiguration", "Tags", "VersioningConfiguration",
    ]
    /// Access control is not enforced; every object is reported encrypted with SSE-S3 as on AWS.
    static let quiet: Set<String> = [
        "AccessControl", "PublicAccessBlockConfiguration", "OwnershipControls", "BucketEncryption",
    ]
    static let reasons = [
        "NotificationConfiguration": "ignored: bucket notifications are not sent",
        "WebsiteConfiguration": "ignored: website hosting is not served",
        "ObjectLockEnabled": "ignored: object lock is not enforced",
        "ObjectLockConfiguration": "ignored: object lock is not enforced",
        "ReplicationConfiguration": "ignored: objects are not replicated",
    ]

    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last,
            isAlphanumeric(first), isAlphanumeric(last)
        else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}
