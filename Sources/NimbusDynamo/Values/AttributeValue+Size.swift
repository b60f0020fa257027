/// DynamoDB's item-size accounting (the 400 KB item limit, the 1 MB page limit, capacity units).
extension AttributeValue {
    static let maximumItemSize = 400 * 1024
    static let maximumHashKeySize = 2048
    static let maximumRangeKeySize = 1024

    var size: Int {
        switch self {
        case .s(let s): s.utf8.count
        case .n(let n): n.storageSize
        case .b(let b): b.count
        case .bool, .null: 1
        // Documents: 3 bytes of overhead plus one byte per element.
        case .m(let m): 3 + m.reduce(0) { $0 + $1.key.utf8.count + $1.value.size + 1 }
        case .l(let l): 3 + l.reduce(0) { $0 + $1.size + 1 }
        case .ss(let ss): ss.reduce(0) { $0 + $1.utf8.count }
        case .ns(let ns): ns.reduce(0) { $0 + $1.storageSize }
        case .bs(let bs): bs.reduce(0) { $0 + $1.count }
        }
    }

    static func size(of item: Item) -> Int {
        item.reduce(0) { $0 + $1.key.utf8.count + $1.value.size }
    }
}

extension DynamoNumber {
    /// About one byte per two significant digits plus one.
    var storageSize: Int { isZero ? 1 : (digits.count + 1) / 2 + 1 }
}
