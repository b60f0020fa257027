import NimbusCore

/// Create-or-update of tables declared in a template (`AWS::DynamoDB::Table`,
/// `AWS::Serverless::SimpleTable`). Re-provisioning the same template changes nothing; changed
/// indexes, billing, TTL and tags are applied in place; a changed primary key is refused (it would
/// mean replacing the table and losing its items).
extension DynamoEngine {
    func provision(_ definition: TableDefinition) throws(DynamoError) {
        let request = RequestFields(Self.createTableInput(definition))
        let target = try TableSchema(definition: request, now: now())
        let ttl = Self.timeToLive(definition.properties)
        var schema: TableSchema
        if let existing = tables[target.name] {
            guard existing.key == target.key else {
                throw .validation("Table \(target.name) already exists with a different key schema; delete it to change its primary key")
            }
            var updated = existing
            updated.billingMode = target.billingMode
            updated.throughput = target.throughput
            updated.streamSpecification = target.streamSpecification
            updated.sseSpecification = target.sseSpecification
            updated.tags = target.tags
            updated.deletionProtection = target.deletionProtection
            updated.globalIndexes = target.globalIndexes
            updated.attributeDefinitions = target.attributeDefinitions
            // Local indexes cannot change after creation: keep the existing ones and their keys.
            for attribute in existing.attributeDefinitions
            where updated.allKeyAttributeNames.contains(attribute.name) && !updated.attributeDefinitions.contains(attribute) {
                updated.attributeDefinitions.append(attribute)
            }
            if existing.localIndexes != target.localIndexes {
                logger.warning("Local secondary indexes cannot change after creation; keeping the existing ones", metadata: ["dynamodb.table": "\(target.name)"])
            }
            let created = target.globalIndexes.filter { !existing.globalIndexes.contains($0) }
            let dropped = existing.globalIndexes.filter { !target.globalIndexes.contains($0) }.map(\.name)
            try replaceSchema(updated, created: created, dropped: dropped)
            schema = updated
        } else {
            schema = try create(target)
        }
        if let ttl, (ttl.enabled ? ttl.attribute : nil) != schema.timeToLiveAttribute {
            if schema.timeToLiveAttribute != nil, ttl.enabled {
                // Switching attribute: turn the old one off first.
                try setTimeToLive(schema, attribute: nil, requested: schema.timeToLiveAttribute!)
                schema = tables[schema.name]!
            }
            try setTimeToLive(schema, attribute: ttl.enabled ? ttl.attribute : nil, requested: schema.timeToLiveAttribute ?? ttl.attribute)
        }
    }

    /// The template's properties as CreateTable input.
    static func createTableInput(_ definition: TableDefinition) -> [String: JSON] {
        let properties = (JSON(definition.properties).objectValue) ?? [:]
        var input: [String: JSON] = ["TableName": .string(definition.tableName)]
        for key in ["KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "StreamSpecification",
                    "SSESpecification", "Tags", "DeletionProtectionEnabled", "ProvisionedThroughput", "BillingMode"] {
            if let value = properties[key] { input[key] = coerced(value, key: key) }
        }
        // CloudFormation's StreamSpecification is only a view type; CreateTable's also says enabled.
        if case .object(var stream)? = input["StreamSpecification"], stream["StreamEnabled"] == nil {
            stream["StreamEnabled"] = .bool(stream["StreamViewType"] != nil)
            input["StreamSpecification"] = .object(stream)
        }
        if input["KeySchema"] == nil {
            // SimpleTable: PrimaryKey {Name, Type: String|Number|Binary}, default `id` of type String.
            let primary = properties["PrimaryKey"]
            let name = primary?["Name"]?.stringValue ?? "id"
            let type = switch primary?["Type"]?.stringValue { case "Number": "N"; case "Binary": "B"; default: "S" }
            input["KeySchema"] = .array([.object(["AttributeName": .string(name), "KeyType": .string("HASH")])])
            input["AttributeDefinitions"] = .array([.object(["AttributeName": .string(name), "AttributeType": .string(type)])])
        }
        if input["BillingMode"] == nil, input["ProvisionedThroughput"] == nil {
            input["BillingMode"] = .string("PAY_PER_REQUEST")
        }
        if input["BillingMode"] == .string("PAY_PER_REQUEST"), case .array(var indexes)? = input["GlobalSecondaryIndexes"] {
            for i in indexes.indices {
                if case .object(var fields) = indexes[i] {
                    fields["ProvisionedThroughput"] = nil
                    indexes[i] = .object(fields)
                }
            }
            input["GlobalSecondaryIndexes"] = .array(indexes)
        }
        return input
    }

    /// Template values arrive as YAML scalars: turn numeric and boolean strings into what the
    /// CreateTable parser expects.
    private static func coerced(_ value: JSON, key: String) -> JSON {
        switch value {
        case .object(let fields):
            var out: [String: JSON] = [:]
            for (k, v) in fields { out[k] = coerced(v, key: k) }
            return .object(out)
        case .array(let elements):
            return .array(elements.map { coerced($0, key: key) })
        case .string(let s) where ["ReadCapacityUnits", "WriteCapacityUnits"].contains(key):
            return Int(s).map(JSON.int) ?? value
        case .string(let s) where ["DeletionProtectionEnabled", "Enabled", "StreamEnabled", "SSEEnabled"].contains(key):
            return s.lowercased() == "true" ? .bool(true) : (s.lowercased() == "false" ? .bool(false) : value)
        default:
            return value
        }
    }

    private static func timeToLive(_ properties: JSONValue) -> (attribute: String, enabled: Bool)? {
        guard let spec = JSON(properties)["TimeToLiveSpecification"], let attribute = spec["AttributeName"]?.stringValue else { return nil }
        let enabled: Bool = switch spec["Enabled"] {
        case .bool(let b)?: b
        case .string(let s)?: s.lowercased() == "true"
        default: false
        }
        return (attribute, enabled)
    }
}

extension JSON {
    /// From NimbusCore's JSON model (template properties).
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .double(n)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(JSON.init))
        case .object(let o): self = .object(o.mapValues(JSON.init))
        }
    }
}
