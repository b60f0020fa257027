/// One DynamoDB attribute value. Sets keep the order they were written in (DynamoDB's order is
/// unspecified) but compare as sets.
enum AttributeValue: Sendable {
    case s(String)
    case n(DynamoNumber)
    case b([UInt8])
    case bool(Bool)
    case null
    case m([String: AttributeValue])
    case l([AttributeValue])
    case ss([String])
    case ns([DynamoNumber])
    case bs([[UInt8]])

    /// The wire type descriptor (`S`, `N`, `SS`…).
    var typeName: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .m: "M"
        case .l: "L"
        case .ss: "SS"
        case .ns: "NS"
        case .bs: "BS"
        }
    }

    /// The spelled-out type used in some update-expression messages (`STRING`, `NUMBER`…).
    var longTypeName: String {
        switch self {
        case .s: "STRING"
        case .n: "NUMBER"
        case .b: "BINARY"
        case .bool: "BOOLEAN"
        case .null: "NULL"
        case .m: "MAP"
        case .l: "LIST"
        case .ss: "STRING_SET"
        case .ns: "NUMBER_SET"
        case .bs: "BINARY_SET"
        }
    }

    var isSet: Bool {
        switch self {
        case .ss, .ns, .bs: true
        default: false
        }
    }

    var mapValue: [String: AttributeValue]? { if case .m(let m) = self { m } else { nil } }
    var listValue: [AttributeValue]? { if case .l(let l) = self { l } else { nil } }
    var stringValue: String? { if case .s(let s) = self { s } else { nil } }
    var numberValue: DynamoNumber? { if case .n(let n) = self { n } else { nil } }
}

/// An item: attribute name → value.
typealias Item = [String: AttributeValue]

extension AttributeValue: Equatable {
    /// DynamoDB equality: same type, same value; strings and binaries compare bytes (not Unicode
    /// canonical equivalence); sets compare as sets.
    static func == (lhs: AttributeValue, rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.s(let a), .s(let b)): a.utf8.elementsEqual(b.utf8)
        case (.n(let a), .n(let b)): a == b
        case (.b(let a), .b(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.m(let a), .m(let b)):
            a.count == b.count && a.allSatisfy { key, value in b[key].map { $0 == value } ?? false }
        case (.l(let a), .l(let b)): a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
        case (.ss(let a), .ss(let b)): a.count == b.count && Set(a.map { Array($0.utf8) }) == Set(b.map { Array($0.utf8) })
        case (.ns(let a), .ns(let b)): a.count == b.count && Set(a) == Set(b)
        case (.bs(let a), .bs(let b)): a.count == b.count && Set(a) == Set(b)
        default: false
        }
    }
}

extension AttributeValue {
    /// Ordering for the scalar types DynamoDB can compare (`N` numerically, `S` and `B` by bytes);
    /// `nil` for mismatched or non-scalar types.
    static func compare(_ lhs: AttributeValue, _ rhs: AttributeValue) -> Int? {
        switch (lhs, rhs) {
        case (.n(let a), .n(let b)): return DynamoNumber.compare(a, b)
        case (.s(let a), .s(let b)): return compareBytes(a.utf8, b.utf8)
        case (.b(let a), .b(let b)): return compareBytes(a, b)
        default: return nil
        }
    }

    static func compareBytes<A: Sequence<UInt8>, B: Sequence<UInt8>>(_ a: A, _ b: B) -> Int {
        var ia = a.makeIterator(), ib = b.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }
}
