/// A global or local secondary index: its key and which attributes it projects.
struct SecondaryIndex: Sendable, Hashable {
    enum ProjectionType: String, Sendable {
        case all = "ALL"
        case keysOnly = "KEYS_ONLY"
        case include = "INCLUDE"
    }

    var name: String
    var isGlobal: Bool
    var key: KeySchema
    var projectionType: ProjectionType
    var nonKeyAttributes: [String]
    var throughput: Throughput?

    /// The attributes an index holds for an item: everything (ALL), or the table's and the index's
    /// keys plus any included attributes.
    func project(_ item: Item, tableKey: KeySchema) -> Item {
        if projectionType == .all { return item }
        var names = Set(tableKey.attributes.map(\.name)).union(key.attributes.map(\.name))
        names.formUnion(nonKeyAttributes)
        return item.filter { names.contains($0.key) }
    }

    var projectionJSON: JSON {
        var fields: [String: JSON] = ["ProjectionType": .string(projectionType.rawValue)]
        if projectionType == .include {
            fields["NonKeyAttributes"] = .array(nonKeyAttributes.map(JSON.string))
        }
        return .object(fields)
    }
}

/// Provisioned read/write capacity (recorded and echoed; Nimbus does not throttle).
struct Throughput: Sendable, Hashable {
    var read: Int
    var write: Int

    var json: JSON {
        .object([
            "ReadCapacityUnits": .int(read), "WriteCapacityUnits": .int(write), "NumberOfDecreasesToday": .int(0),
        ])
    }
}
