/// One item write with its condition, planned before anything is read: a TransactWriteItems entry
/// or a PartiQL INSERT, UPDATE, DELETE or EXISTS.
struct TransactWrite {
    enum Kind {
        case check
        case put(Item)
        /// PartiQL INSERT: a put that fails with DuplicateItem when the key exists.
        case insert(Item)
        case delete
        case update([Expression.UpdateAction])
    }

    var kind: Kind
    var schema: TableSchema
    var key: StorageKey
    var keyItem: Item
    var condition: Expression.Condition?
    var returnOldOnFailure: Bool

    var isCheck: Bool {
        if case .check = kind { return true }
        return false
    }

    /// Table id and key bytes: two writes with the same identity touch the same item.
    var identity: [UInt8] { Self.identity(table: schema, key: key) }

    static func identity(table: TableSchema, key: StorageKey) -> [UInt8] {
        withUnsafeBytes(of: table.id.bigEndian, Array.init) + key.partition + [0] + key.sort
    }
}

extension DynamoEngine {
    /// What `write` makes of the stored item `old`: the item to store (nil: none), or the error that
    /// stops it (ConditionalCheckFailed, DuplicateItem, or an update's validation error).
    func outcome(of write: TransactWrite, old: Item?) throws(DynamoError) -> Item? {
        if let condition = write.condition, !ConditionEvaluator.evaluate(condition, on: old ?? [:]) {
            throw .conditionalCheckFailed(item: write.returnOldOnFailure ? old : nil)
        }
        switch write.kind {
        case .check:
            return old
        case .put(let item):
            return item
        case .insert(let item):
            if old != nil { throw .duplicateItem }
            return item
        case .delete:
            return nil
        case .update(let actions):
            return try applyUpdate(actions, to: old, key: write.keyItem, schema: write.schema)
        }
    }

    /// Runs one write on its own, atomically; returns the item before and after.
    func run(_ write: TransactWrite) throws(DynamoError) -> (old: Item?, new: Item?) {
        try transaction { () throws(DynamoError) -> (old: Item?, new: Item?) in
            let old = try loadItem(write.schema, key: write.key)
            let new = try outcome(of: write, old: old)
            if !write.isCheck, old != nil || new != nil { try storeItem(write.schema, key: write.key, old: old, new: new) }
            return (old, new)
        }
    }
}
