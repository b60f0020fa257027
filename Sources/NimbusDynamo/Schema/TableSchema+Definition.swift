import Foundation

/// CreateTable input → schema (with DynamoDB's validation and messages), and schema → the same
/// shape for the catalog, so one parser serves requests, templates and reloads.
extension TableSchema {
    static let invalid = "One or more parameter values were invalid: "

    init(definition request: RequestFields, now: Double) throws(DynamoError) {
        var check = ConstraintCheck()
        let name = try? request.string("TableName")
        check.tableName(name)
        let keyElements = try request.array("KeySchema")
        let definitions = try request.array("AttributeDefinitions")
        check.required(definitions, at: "attributeDefinitions")
        check.required(keyElements, at: "keySchema")
        if let keyElements {
            if keyElements.count > 2 { check.fail(nil, at: "keySchema", "Member must have length less than or equal to 2") }
            if keyElements.isEmpty { check.fail(nil, at: "keySchema", "Member must have length greater than or equal to 1") }
        }
        let billingMode = try request.string("BillingMode")
        check.oneOf(billingMode, ["PROVISIONED", "PAY_PER_REQUEST"], at: "billingMode")
        let parsedDefinitions = try Self.attributeDefinitions(definitions ?? [], &check)
        let parsedKey = try Self.keyElements(keyElements ?? [], member: "keySchema", &check)
        var throughput: Throughput?
        if let raw = try request.structure("ProvisionedThroughput") {
            throughput = try Self.throughput(raw, member: "provisionedThroughput", &check)
        }
        let gsiInput = try request.array("GlobalSecondaryIndexes")
        let lsiInput = try request.array("LocalSecondaryIndexes")
        var rawIndexes: [(RequestFields, Bool, String)] = []
        for (i, raw) in (gsiInput ?? []).enumerated() {
            rawIndexes.append((try RequestFields(json: raw), true, "globalSecondaryIndexes.\(i + 1).member"))
        }
        for (i, raw) in (lsiInput ?? []).enumerated() {
            rawIndexes.append((try RequestFields(json: raw), false, "localSecondaryIndexes.\(i + 1).member"))
        }
        for (fields, _, member) in rawIndexes { try Self.checkIndexMembers(fields, member: member, &check) }
        try check.check()

        // Semantic checks, in the order DynamoDB applies them.
        guard let tableName = name, let keyElements = parsedKey else { throw .validation("Invalid KeySchema") }
        let key = try Self.keySchema(keyElements, definitions: parsedDefinitions, invalidPrefix: "Invalid KeySchema: ")
        let mode = billingMode ?? "PROVISIONED"
        if mode == "PAY_PER_REQUEST" {
            if throughput != nil {
                throw .validation(Self.invalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
            }
        } else if throughput == nil {
            throw .validation(billingMode == nil
                ? "No provisioned throughput specified for the table"
                : Self.invalid + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
        }
        var globals: [SecondaryIndex] = []
        var locals: [SecondaryIndex] = []
        var seen = Set<String>()
        for (fields, isGlobal, member) in rawIndexes {
            let index = try Self.index(fields, isGlobal: isGlobal, member: member, definitions: parsedDefinitions, tableKey: key, billingMode: mode)
            guard seen.insert(index.name).inserted else { throw .validation(Self.invalid + "Duplicate index name: \(index.name)") }
            if isGlobal { globals.append(index) } else { locals.append(index) }
        }
        if lsiInput != nil, lsiInput!.isEmpty {
            throw .validation(Self.invalid + "List of LocalSecondaryIndexes is empty")
        }
        if gsiInput != nil, gsiInput!.isEmpty {
            throw .validation(Self.invalid + "List of GlobalSecondaryIndexes is empty")
        }
        // Every defined attribute must be a key of the table or an index.
        var used = Set(key.attributes.map(\.name))
        for index in globals + locals { used.formUnion(index.key.attributes.map(\.name)) }
        if Set(parsedDefinitions.map(\.name)) != used || parsedDefinitions.count != used.count {
            throw .validation(Self.invalid + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
        }

        var tags: [(key: String, value: String)] = []
        for raw in try request.array("Tags") ?? [] {
            let tag = try RequestFields(json: raw)
            tags.append((try tag.string("Key") ?? "", try tag.string("Value") ?? ""))
        }
        if let stream = request["StreamSpecification"] { try Self.checkStreamSpecification(stream) }
        self.init(
            name: tableName, tableID: UUID().uuidString.lowercased(), creationDate: now, key: key,
            attributeDefinitions: parsedDefinitions, globalIndexes: globals, localIndexes: locals,
            billingMode: mode, throughput: throughput, timeToLiveAttribute: nil,
            streamSpecification: request["StreamSpecification"], sseSpecification: request["SSESpecification"],
            tags: tags, deletionProtection: try request.bool("DeletionProtectionEnabled") ?? false)
    }

    static func attributeDefinitions(_ raw: [JSON], _ check: inout ConstraintCheck) throws(DynamoError) -> [KeyAttribute] {
        var out: [KeyAttribute] = []
        for (i, element) in raw.enumerated() {
            let fields = try RequestFields(json: element)
            let name = try fields.string("AttributeName")
            let type = try fields.string("AttributeType")
            let member = "attributeDefinitions.\(i + 1).member"
            check.required(name, at: "\(member).attributeName")
            check.length(name, at: "\(member).attributeName", minimum: 1, maximum: KeyAttribute.maximumNameBytes)
            check.required(type, at: "\(member).attributeType")
            check.oneOf(type, ["B", "N", "S"], at: "\(member).attributeType")
            if let name, let type, let scalar = ScalarType(rawValue: type) {
                if out.contains(where: { $0.name == name }) {
                    throw .validation("Cannot have two attributes with the same name")
                }
                out.append(KeyAttribute(name: name, type: scalar))
            }
        }
        return out
    }

    /// `[(name, keyType)]` after constraint checks.
    static func keyElements(_ raw: [JSON], member: String, _ check: inout ConstraintCheck) throws(DynamoError) -> [(String, String)]? {
        var out: [(String, String)] = []
        for (i, element) in raw.enumerated() {
            let fields = try RequestFields(json: element)
            let name = try fields.string("AttributeName")
            let keyType = try fields.string("KeyType")
            check.required(name, at: "\(member).\(i + 1).member.attributeName")
            check.length(name, at: "\(member).\(i + 1).member.attributeName", minimum: 1, maximum: KeyAttribute.maximumNameBytes)
            check.required(keyType, at: "\(member).\(i + 1).member.keyType")
            check.oneOf(keyType, ["HASH", "RANGE"], at: "\(member).\(i + 1).member.keyType")
            if let name, let keyType { out.append((name, keyType)) }
        }
        return out.count == raw.count ? out : nil
    }

    static func keySchema(_ elements: [(String, String)], definitions: [KeyAttribute], invalidPrefix: String) throws(DynamoError) -> KeySchema {
        guard let first = elements.first else { throw .validation(invalidPrefix + "The first KeySchemaElement is not a HASH key type") }
        guard first.1 == "HASH" else { throw .validation(invalidPrefix + "The first KeySchemaElement is not a HASH key type") }
        if elements.count == 2 {
            if elements[1].1 != "RANGE" { throw .validation(invalidPrefix + "The second KeySchemaElement is not a RANGE key type") }
            if elements[1].0 == first.0 {
                throw .validation(invalidPrefix + "Both the Hash Key and the Range Key element in the KeySchema have the same name")
            }
        }
        let missing = elements.map(\.0).filter { name in !definitions.contains { $0.name == name } }
        if !missing.isEmpty {
            throw .validation(invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [\(missing.joined(separator: ", "))], AttributeDefinitions: [\(definitions.map(\.name).joined(separator: ", "))]")
        }
        func attribute(_ name: String) -> KeyAttribute { definitions.first { $0.name == name }! }
        return KeySchema(hash: attribute(first.0), range: elements.count == 2 ? attribute(elements[1].0) : nil)
    }

    static func throughput(_ fields: RequestFields, member: String, _ check: inout ConstraintCheck) throws(DynamoError) -> Throughput {
        let read = try fields.int("ReadCapacityUnits")
        let write = try fields.int("WriteCapacityUnits")
        check.required(read, at: "\(member).readCapacityUnits")
        check.required(write, at: "\(member).writeCapacityUnits")
        check.range(read, at: "\(member).readCapacityUnits", minimum: 1)
        check.range(write, at: "\(member).writeCapacityUnits", minimum: 1)
        return Throughput(read: read ?? 1, write: write ?? 1)
    }

    /// The constraints on an index's members, checked with the rest of the request's before any
    /// semantic check.
    static func checkIndexMembers(_ fields: RequestFields, member: String, _ check: inout ConstraintCheck) throws(DynamoError) {
        let indexName = try fields.string("IndexName")
        check.required(indexName, at: "\(member).indexName")
        check.indexName(indexName, at: "\(member).indexName")
        check.required(fields["KeySchema"], at: "\(member).keySchema")
        check.required(fields["Projection"], at: "\(member).projection")
    }

    static func index(
        _ fields: RequestFields, isGlobal: Bool, member: String, definitions: [KeyAttribute], tableKey: KeySchema, billingMode: String
    ) throws(DynamoError) -> SecondaryIndex {
        let name = try fields.string("IndexName") ?? ""
        var check = ConstraintCheck()
        guard let elements = try keyElements(try fields.array("KeySchema") ?? [], member: "\(member).keySchema", &check) else {
            try check.check()
            throw .validation("Invalid KeySchema")
        }
        let projection = try fields.structure("Projection") ?? RequestFields([:])
        let projectionType = try projection.string("ProjectionType")
        check.oneOf(projectionType, ["ALL", "KEYS_ONLY", "INCLUDE"], at: "\(member).projection.projectionType")
        var throughput: Throughput?
        if let raw = try fields.structure("ProvisionedThroughput") {
            throughput = try Self.throughput(raw, member: "\(member).provisionedThroughput", &check)
        }
        try check.check()
        let key = try keySchema(elements, definitions: definitions, invalidPrefix: invalid + "Index KeySchema: ")
        if !isGlobal {
            guard tableKey.range != nil else {
                throw .validation(invalid + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
            }
            guard key.range != nil else {
                throw .validation(invalid + "Index KeySchema does not have a range key for index: \(name)")
            }
            guard key.hash.name == tableKey.hash.name else {
                throw .validation(invalid + "Index KeySchema does not have the same leading hash key as table KeySchema for index: \(name). index hash key: \(key.hash.name), table hash key: \(tableKey.hash.name)")
            }
        }
        guard let type = SecondaryIndex.ProjectionType(rawValue: projectionType ?? "") else {
            throw .validation(invalid + "Unknown ProjectionType: \(projectionType ?? "null")")
        }
        let nonKey = try projection.stringArray("NonKeyAttributes")
        if type == .include, (nonKey ?? []).isEmpty {
            throw .validation(invalid + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
        }
        if type != .include, nonKey != nil {
            throw .validation(invalid + "ProjectionType is \(type.rawValue), but NonKeyAttributes is specified")
        }
        if isGlobal {
            if billingMode == "PAY_PER_REQUEST", throughput != nil {
                throw .validation(invalid + "ProvisionedThroughput should not be specified for index: \(name) when BillingMode is PAY_PER_REQUEST")
            }
            if billingMode == "PROVISIONED", throughput == nil {
                throw .validation(invalid + "ProvisionedThroughput must be specified for index: \(name)")
            }
        }
        return SecondaryIndex(
            name: name, isGlobal: isGlobal, key: key, projectionType: type, nonKeyAttributes: nonKey ?? [],
            throughput: isGlobal ? throughput : nil)
    }

    // MARK: Catalog form

    /// The schema as CreateTable input plus the metadata a reload needs.
    var catalogJSON: JSON {
        func indexJSON(_ index: SecondaryIndex) -> JSON {
            var fields: [String: JSON] = [
                "IndexName": .string(index.name), "KeySchema": index.key.json, "Projection": index.projectionJSON,
            ]
            if let throughput = index.throughput {
                fields["ProvisionedThroughput"] = .object([
                    "ReadCapacityUnits": .int(throughput.read), "WriteCapacityUnits": .int(throughput.write),
                ])
            }
            return .object(fields)
        }
        var fields: [String: JSON] = [
            "TableName": .string(name),
            "KeySchema": key.json,
            "AttributeDefinitions": .array(attributeDefinitions.map {
                .object(["AttributeName": .string($0.name), "AttributeType": .string($0.type.rawValue)])
            }),
            "BillingMode": .string(billingMode),
            "DeletionProtectionEnabled": .bool(deletionProtection),
            "TableId": .string(tableID),
            "CreationDateTime": .double(creationDate),
            "Tags": .array(tags.map { .object(["Key": .string($0.key), "Value": .string($0.value)]) }),
        ]
        if let throughput {
            fields["ProvisionedThroughput"] = .object([
                "ReadCapacityUnits": .int(throughput.read), "WriteCapacityUnits": .int(throughput.write),
            ])
        }
        if !globalIndexes.isEmpty { fields["GlobalSecondaryIndexes"] = .array(globalIndexes.map(indexJSON)) }
        if !localIndexes.isEmpty { fields["LocalSecondaryIndexes"] = .array(localIndexes.map(indexJSON)) }
        if let timeToLiveAttribute { fields["TimeToLiveAttribute"] = .string(timeToLiveAttribute) }
        if let streamSpecification { fields["StreamSpecification"] = streamSpecification }
        if let sseSpecification { fields["SSESpecification"] = sseSpecification }
        return .object(fields)
    }

    init(catalog json: JSON, id: Int64) throws(DynamoError) {
        let fields = try RequestFields(json: json)
        try self.init(definition: fields, now: 0)
        self.id = id
        self.tableID = try fields.string("TableId") ?? tableID
        if case .number(let text)? = fields["CreationDateTime"], let date = Double(text) { self.creationDate = date }
        self.timeToLiveAttribute = try fields.string("TimeToLiveAttribute")
    }
}
