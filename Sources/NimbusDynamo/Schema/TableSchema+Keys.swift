/// Validation of keys and items against a table's key schema, with DynamoDB's messages.
extension TableSchema {
    static let keyMismatch = DynamoError.validation("The provided key element does not match the schema")

    /// A `Key` parameter: exactly the key attributes, with the declared types.
    func storageKey(forKey key: Item) throws(DynamoError) -> StorageKey {
        // No array of the key's attributes: this runs for every point read and write.
        func holds(_ attribute: KeyAttribute) -> Bool { key[attribute.name].map(attribute.type.matches) ?? false }
        guard key.count == (self.key.range == nil ? 1 : 2), holds(self.key.hash), self.key.range.map(holds) ?? true else {
            throw Self.keyMismatch
        }
        return try storageKey(ofItem: key)
    }

    /// The key of a full item, checking presence, types, emptiness and size limits.
    func storageKey(ofItem item: Item) throws(DynamoError) -> StorageKey {
        let partition = try encodedKey(self.key.hash, in: item, isHash: true)
        let sort = try self.key.range.map { (attribute) throws(DynamoError) in try encodedKey(attribute, in: item, isHash: false) } ?? []
        return StorageKey(partition: partition, sort: sort)
    }

    private func encodedKey(_ attribute: KeyAttribute, in item: Item, isHash: Bool) throws(DynamoError) -> [UInt8] {
        guard let value = item[attribute.name] else {
            throw .validation("One or more parameter values were invalid: Missing the key \(attribute.name) in the item")
        }
        guard attribute.type.matches(value) else {
            throw .validation("One or more parameter values were invalid: Type mismatch for key \(attribute.name) expected: \(attribute.type.rawValue) actual: \(value.typeName)")
        }
        let encoded = KeyEncoding.encode(value)
        switch value {
        case .s(let s) where s.isEmpty:
            throw .validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: \(attribute.name)")
        case .b(let b) where b.isEmpty:
            throw .validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: \(attribute.name)")
        case .s, .b:
            if isHash, value.size > AttributeValue.maximumHashKeySize {
                throw .validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
            }
            if !isHash, value.size > AttributeValue.maximumRangeKeySize {
                throw .validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
            }
        default:
            break
        }
        return encoded
    }

    /// Index key attributes present in an item must have the declared type and not be empty.
    func validateIndexKeys(of item: Item) throws(DynamoError) {
        for index in indexes {
            for attribute in index.key.attributes {
                guard let value = item[attribute.name] else { continue }
                guard attribute.type.matches(value) else {
                    throw .validation("One or more parameter values were invalid: Type mismatch for Index Key \(attribute.name) Expected: \(attribute.type.rawValue) Actual: \(value.typeName) IndexName: \(index.name)")
                }
                if case .s(let s) = value, s.isEmpty {
                    throw .validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: \(index.name), IndexKey: \(attribute.name)")
                }
                if case .b(let b) = value, b.isEmpty {
                    throw .validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: \(index.name), IndexKey: \(attribute.name)")
                }
            }
        }
    }

    /// The index's storage key for an item, or nil when the item is not in the (sparse) index.
    func indexKey(_ index: SecondaryIndex, of item: Item) -> StorageKey? {
        guard let hash = item[index.key.hash.name], index.key.hash.type.matches(hash) else { return nil }
        var sort: [UInt8] = []
        if let range = index.key.range {
            guard let value = item[range.name], range.type.matches(value) else { return nil }
            sort = KeyEncoding.encode(value)
        }
        return StorageKey(partition: KeyEncoding.encode(hash), sort: sort)
    }

    /// The item-size limit (400 KB).
    static func checkSize(_ item: Item, updating: Bool = false) throws(DynamoError) -> Int {
        let size = AttributeValue.size(of: item)
        if size > AttributeValue.maximumItemSize {
            throw .validation(updating ? "Item size to update has exceeded the maximum allowed size" : "Item size has exceeded the maximum allowed size")
        }
        return size
    }
}
