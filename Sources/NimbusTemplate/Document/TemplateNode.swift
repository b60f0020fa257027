/// One node of a parsed template, independent of Yams: scalars keep their original text (so
/// `1.10` stays `1.10` when it becomes an environment variable) and every node keeps its line.
/// Short-form tags are already rewritten to their long form (`!Ref X` → `{Ref: X}`).
struct TemplateNode {
    enum Value {
        case scalar(Scalar)
        case sequence([TemplateNode])
        case mapping([Entry])
    }

    struct Scalar {
        enum Kind { case string, number, bool, null }
        var text: String
        var kind: Kind
    }

    struct Entry {
        var key: String
        var value: TemplateNode
    }

    var value: Value
    /// The line of the node, or of its key when it is a mapping value (where editors point).
    var line: Int?

    static func string(_ text: String, line: Int?) -> TemplateNode {
        TemplateNode(value: .scalar(Scalar(text: text, kind: .string)), line: line)
    }

    static func bool(_ flag: Bool, line: Int?) -> TemplateNode {
        TemplateNode(value: .scalar(Scalar(text: flag ? "true" : "false", kind: .bool)), line: line)
    }

    var scalar: Scalar? { if case .scalar(let s) = value { s } else { nil } }
    var entries: [Entry]? { if case .mapping(let e) = value { e } else { nil } }
    var items: [TemplateNode]? { if case .sequence(let i) = value { i } else { nil } }
    var isNull: Bool { scalar?.kind == .null }

    subscript(key: String) -> TemplateNode? {
        entries?.first { $0.key == key }?.value
    }

    /// `{Ref: …}` or `{Fn::…: …}`: a mapping with one key naming an intrinsic function.
    var intrinsic: (name: String, argument: TemplateNode)? {
        guard let entries, entries.count == 1 else { return nil }
        let key = entries[0].key
        guard key == "Ref" || key.hasPrefix("Fn::") else { return nil }
        return (key, entries[0].value)
    }
}
