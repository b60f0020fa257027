/// The scalar types a key attribute may have.
enum ScalarType: String, Sendable, CaseIterable {
    case s = "S"
    case n = "N"
    case b = "B"

    func matches(_ value: AttributeValue) -> Bool {
        switch (self, value) {
        case (.s, .s), (.n, .n), (.b, .b): true
        default: false
        }
    }
}

/// A key attribute: its name and declared type.
struct KeyAttribute: Sendable, Hashable {
    /// Key attribute names are shorter than other attribute names (the API reference's length
    /// constraint on KeySchemaElement and AttributeDefinition names).
    static let maximumNameBytes = 255

    var name: String
    var type: ScalarType
}

/// The key of a table or index: a hash key and an optional range key.
struct KeySchema: Sendable, Hashable {
    var hash: KeyAttribute
    var range: KeyAttribute?

    var attributes: [KeyAttribute] {
        if let range { [hash, range] } else { [hash] }
    }

    var json: JSON {
        var elements: [JSON] = [.object(["AttributeName": .string(hash.name), "KeyType": .string("HASH")])]
        if let range {
            elements.append(.object(["AttributeName": .string(range.name), "KeyType": .string("RANGE")]))
        }
        return .array(elements)
    }

    /// The key's attributes taken from an item.
    func key(of item: Item) -> Item {
        var key: Item = [:]
        for attribute in attributes { key[attribute.name] = item[attribute.name] }
        return key
    }
}
