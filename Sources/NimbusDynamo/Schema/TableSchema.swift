import Foundation

/// Everything Nimbus knows about a table except its items: key schema, attribute definitions,
/// indexes, billing, TTL, tags.
struct TableSchema: Sendable {
    static let region = "us-east-1"
    static let account = "000000000000"

    var name: String
    /// Row id in the SQLite catalog; items are stored under it.
    var id: Int64 = 0
    var tableID: String
    var creationDate: Double
    var key: KeySchema
    var attributeDefinitions: [KeyAttribute]
    var globalIndexes: [SecondaryIndex]
    var localIndexes: [SecondaryIndex]
    var billingMode: String
    var throughput: Throughput?
    var timeToLiveAttribute: String?
    var streamSpecification: JSON?
    var sseSpecification: JSON?
    var tags: [(key: String, value: String)]
    var deletionProtection: Bool

    var arn: String { "arn:aws:dynamodb:\(Self.region):\(Self.account):table/\(name)" }

    var indexes: [SecondaryIndex] { globalIndexes + localIndexes }

    func index(named name: String) -> SecondaryIndex? {
        indexes.first { $0.name == name }
    }

    var isPayPerRequest: Bool { billingMode == "PAY_PER_REQUEST" }

    /// Whether a write must read the item it replaces: to update index rows, or for the stream.
    var needsPreviousItem: Bool { !indexes.isEmpty || streamViewType != nil }

    /// Names of every key attribute of the table and its indexes.
    var allKeyAttributeNames: Set<String> {
        var names = Set(key.attributes.map(\.name))
        for index in indexes { names.formUnion(index.key.attributes.map(\.name)) }
        return names
    }
}

extension TableSchema {
    /// Per-index statistics for DescribeTable.
    struct IndexStatistics {
        var itemCount: Int
        var sizeBytes: Int
    }

    /// DescribeTable's `Table` structure.
    func describe(status: String, itemCount: Int, sizeBytes: Int, indexStatistics: [String: IndexStatistics]) -> JSON {
        var table: [String: JSON] = [
            "TableName": .string(name),
            "TableStatus": .string(status),
            "TableArn": .string(arn),
            "TableId": .string(tableID),
            "CreationDateTime": .double(creationDate),
            "KeySchema": key.json,
            "AttributeDefinitions": .array(attributeDefinitions.map {
                .object(["AttributeName": .string($0.name), "AttributeType": .string($0.type.rawValue)])
            }),
            "ItemCount": .int(itemCount),
            "TableSizeBytes": .int(sizeBytes),
            "ProvisionedThroughput": (throughput ?? Throughput(read: 0, write: 0)).json,
            "DeletionProtectionEnabled": .bool(deletionProtection),
        ]
        if isPayPerRequest {
            table["BillingModeSummary"] = .object([
                "BillingMode": .string(billingMode),
                "LastUpdateToPayPerRequestDateTime": .double(creationDate),
            ])
        } else {
            table["BillingModeSummary"] = .object(["BillingMode": .string("PROVISIONED")])
        }
        func indexJSON(_ index: SecondaryIndex) -> JSON {
            let statistics = indexStatistics[index.name] ?? IndexStatistics(itemCount: 0, sizeBytes: 0)
            var fields: [String: JSON] = [
                "IndexName": .string(index.name),
                "KeySchema": index.key.json,
                "Projection": index.projectionJSON,
                "IndexSizeBytes": .int(statistics.sizeBytes),
                "ItemCount": .int(statistics.itemCount),
                "IndexArn": .string("\(arn)/index/\(index.name)"),
            ]
            if index.isGlobal {
                fields["IndexStatus"] = .string("ACTIVE")
                fields["ProvisionedThroughput"] = (index.throughput ?? Throughput(read: 0, write: 0)).json
            }
            return .object(fields)
        }
        if !globalIndexes.isEmpty { table["GlobalSecondaryIndexes"] = .array(globalIndexes.map(indexJSON)) }
        if !localIndexes.isEmpty { table["LocalSecondaryIndexes"] = .array(localIndexes.map(indexJSON)) }
        if let streamSpecification, streamViewType != nil {
            table["StreamSpecification"] = streamSpecification
            table["LatestStreamLabel"] = .string(streamLabel)
            table["LatestStreamArn"] = .string(streamArn)
        }
        if let sseSpecification, sseSpecification["Enabled"] == .bool(true) {
            table["SSEDescription"] = .object(["Status": .string("ENABLED"), "SSEType": .string("KMS")])
        }
        return .object(table)
    }

    /// What the table's stream records, nil when it has no enabled stream.
    var streamViewType: StreamViewType? {
        guard let streamSpecification, streamSpecification["StreamEnabled"] == .bool(true) else { return nil }
        return streamSpecification["StreamViewType"]?.stringValue.flatMap(StreamViewType.init)
    }

    /// The stream's label: its table's creation time (Nimbus keeps one stream per table).
    var streamLabel: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: creationDate)).replacingOccurrences(of: "Z", with: "")
    }

    var streamArn: String { "\(arn)/stream/\(streamLabel)" }

    /// `StreamSpecification` as CreateTable and UpdateTable check it.
    static func checkStreamSpecification(_ json: JSON) throws(DynamoError) {
        guard case .object = json else {
            throw .serialization("Start of structure or map found where not expected")
        }
        guard case .bool(let enabled)? = json["StreamEnabled"] else {
            throw .constraints(["Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null"])
        }
        guard let view = json["StreamViewType"] else {
            if enabled { throw .validation(invalid + "StreamViewType is required when StreamEnabled is true") }
            return
        }
        guard let text = view.stringValue, StreamViewType(rawValue: text) != nil else {
            let shown = view.stringValue ?? "\(view)"
            let allowed = StreamViewType.allCases.map(\.rawValue).joined(separator: ", ")
            throw .constraints([
                "Value '\(shown)' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [\(allowed)]"
            ])
        }
    }
}
