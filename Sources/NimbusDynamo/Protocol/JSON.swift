import NimbusCore

/// A parsed JSON document. Numbers keep their literal text so nothing is rounded through `Double`.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSON])
    case object([String: JSON])
    /// Already-serialised JSON spliced into a response (items are written once, straight to bytes).
    case raw([UInt8])

    subscript(key: String) -> JSON? {
        if case .object(let fields) = self { fields[key] } else { nil }
    }

    var objectValue: [String: JSON]? { if case .object(let o) = self { o } else { nil } }
    var arrayValue: [JSON]? { if case .array(let a) = self { a } else { nil } }
    var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    /// The token name Jackson (DynamoDB's parser) uses in conversion errors.
    var tokenName: String {
        switch self {
        case .null: "VALUE_NULL"
        case .bool(let b): b ? "TRUE_VALUE" : "FALSE_VALUE"
        case .number: "NUMBER_VALUE"
        case .string: "STRING_VALUE"
        case .array: "START_ARRAY"
        case .object, .raw: "START_OBJECT"
        }
    }

    static func int(_ value: Int) -> JSON { .number(String(value)) }
    static func double(_ value: Double) -> JSON {
        value.rounded() == value && abs(value) < 1e15 ? .number(String(Int(value))) : .number(String(value))
    }
}

extension JSON: JSONTree {
    static func number(literal: String) -> JSON { .number(literal) }
}
