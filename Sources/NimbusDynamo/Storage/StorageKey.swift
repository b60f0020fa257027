/// The storage key of an item: encoded partition and sort key (empty without a range key).
struct StorageKey: Hashable, Sendable {
    var partition: [UInt8]
    var sort: [UInt8]
}
