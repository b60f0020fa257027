/// An item row read back from storage.
struct StoredRow {
    var key: StorageKey
    var item: [UInt8]
    var size: Int
    /// The index key, for rows read through a secondary index.
    var indexKey: StorageKey?
}
