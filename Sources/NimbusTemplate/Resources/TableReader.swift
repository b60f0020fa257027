import NimbusCore

/// `AWS::DynamoDB::Table` and `AWS::Serverless::SimpleTable` → `TableDefinition` whose properties
/// read as `CreateTable` input (SimpleTable's `PrimaryKey` becomes `KeySchema` and
/// `AttributeDefinitions`).
struct TableReader {
    let context: TemplateContext

    func read(_ entry: ResourceEntry) throws(TemplateError) -> TableDefinition {
        let propertiesPath = TemplatePath.join(entry.path, "Properties")
        let properties = try PropertyMap(entry.properties, path: propertiesPath, line: entry.node.line, context: context)
        let simple = entry.type == ResourceType.simpleTable
        properties.warnAboutUnsupported(
            supported: simple ? Self.simpleTableSupported : Self.supported, quiet: Self.quiet, reasons: Self.reasons)
        let name = try context.physicalName(of: entry.logicalID, line: properties.line, at: properties.path("TableName"))
        var fields: [String: JSONValue]
        if simple {
            fields = try simpleTable(properties)
        } else {
            guard properties.contains("KeySchema") else { throw properties.missing("KeySchema") }
            fields = try resolvedFields(entry.properties, at: propertiesPath)
        }
        fields["TableName"] = .string(name)
        return TableDefinition(logicalID: entry.logicalID, tableName: name, properties: .object(fields))
    }

    static let supported: Set<String> = [
        "TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
        "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "TimeToLiveSpecification", "Tags", "SSESpecification",
        "DeletionProtectionEnabled", "StreamSpecification",
    ]
    static let simpleTableSupported: Set<String> = ["TableName", "PrimaryKey", "ProvisionedThroughput", "Tags", "SSESpecification"]
    /// Capacity, storage class and resource policies change nothing on one machine.
    static let quiet: Set<String> = ["TableClass", "OnDemandThroughput", "WarmThroughput", "ResourcePolicy"]
    static let reasons = [
        "KinesisStreamSpecification": "ignored: changes are not sent to Kinesis",
        "PointInTimeRecoverySpecification": "ignored: point-in-time recovery backups are not kept",
        "ImportSourceSpecification": "ignored: data is not imported from S3",
    ]

    private func resolvedFields(_ node: TemplateNode?, at path: String) throws(TemplateError) -> [String: JSONValue] {
        guard let node, let resolved = try context.resolve(node, at: path) else { return [:] }
        return resolved.json.objectValue ?? [:]
    }

    private func simpleTable(_ properties: PropertyMap) throws(TemplateError) -> [String: JSONValue] {
        let key = try properties.map("PrimaryKey")
        let keyName = try key?.string("Name") ?? "id"
        let keyTypes = ["String": "S", "Number": "N", "Binary": "B"]
        guard let keyType = keyTypes[try key?.string("Type") ?? "String"] else {
            throw .at(properties.path("PrimaryKey.Type"), line: key?.line(of: "Type"), "expected String, Number or Binary")
        }
        var fields: [String: JSONValue] = [
            "KeySchema": .array([.object(["AttributeName": .string(keyName), "KeyType": .string("HASH")])]),
            "AttributeDefinitions": .array([
                .object(["AttributeName": .string(keyName), "AttributeType": .string(keyType)])
            ]),
            "BillingMode": .string("PAY_PER_REQUEST"),
        ]
        if let throughput = try properties.value("ProvisionedThroughput") {
            fields["BillingMode"] = .string("PROVISIONED")
            fields["ProvisionedThroughput"] = throughput.json
        }
        if let sse = try properties.value("SSESpecification") { fields["SSESpecification"] = sse.json }
        if let tags = try properties.value("Tags")?.json.objectValue {
            // SimpleTable tags are a mapping; DynamoDB takes a list of Key/Value pairs.
            fields["Tags"] = .array(tags.keys.sorted().map { .object(["Key": .string($0), "Value": tags[$0]!]) })
        }
        return fields
    }
}
