/// The items a transaction has named so far. DynamoDB refuses a second operation on one item in
/// TransactWriteItems, TransactGetItems and ExecuteTransaction alike, with one message (for
/// TransactGetItems as reported by minidyn's parity review; the API reference only says a
/// transaction may not name an item twice).
struct TransactionTargets {
    private var seen = Set<[UInt8]>()

    static let repeated = DynamoError.validation("Transaction request cannot include multiple operations on one item")

    /// Records the item `identity` (see `TransactWrite.identity`); throws when it is already there.
    mutating func claim(_ identity: [UInt8]) throws(DynamoError) {
        guard seen.insert(identity).inserted else { throw Self.repeated }
    }
}
