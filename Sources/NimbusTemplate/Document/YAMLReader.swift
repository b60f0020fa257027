import Foundation
import Yams

/// Parses template text with Yams' Node API into a `TemplateNode` tree. The Node API (rather than
/// `Yams.load`) keeps CloudFormation's custom tags (`!Ref`, `!Sub`, …) and the line of every node.
enum YAMLReader {
    static func parse(_ text: String) throws(TemplateError) -> TemplateNode {
        // JSON is YAML, except that libyaml rejects tabs used as indentation; tabs inside JSON
        // strings must be escaped, so replacing the raw ones is safe.
        let isJSON = text.drop { $0.isWhitespace }.first == "{"
        let source = isJSON ? text.replacingOccurrences(of: "\t", with: " ") : text
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch let error as YamlError {
            throw problem(from: error, in: source)
        } catch {
            throw .at("", line: nil, "invalid YAML: \(error)")
        }
        guard let root else { throw .at("", line: nil, "the template is empty") }
        return try convert(root, line: root.mark?.line)
    }

    private static func problem(from error: YamlError, in text: String) -> TemplateError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return .at("", line: mark.line, "invalid YAML: \(problem)\(detail)")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { text.prefix($0).filter { $0 == "\n" }.count + 1 }
            return .at("", line: line, "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .at("", line: context.mark.line, "invalid YAML: duplicate key \(keys)")
        default:
            return .at("", line: nil, "invalid YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, line: Int?) throws(TemplateError) -> TemplateNode {
        let tag = node.tagName
        let converted: TemplateNode
        switch node {
        case .scalar(let scalar):
            converted = TemplateNode(value: .scalar(classify(scalar, tag: tag)), line: line)
        case .sequence(let sequence):
            var items: [TemplateNode] = []
            for item in sequence { items.append(try convert(item, line: item.mark?.line ?? line)) }
            converted = TemplateNode(value: .sequence(items), line: line)
        case .mapping(let mapping):
            converted = TemplateNode(value: .mapping(try entries(of: mapping, line: line)), line: line)
        case .alias(let alias):
            throw .at("", line: alias.mark?.line ?? line, "invalid YAML: unresolved alias")
        }
        return shortForm(tag, wrapping: converted)
    }

    private static func entries(of mapping: Node.Mapping, line: Int?) throws(TemplateError) -> [TemplateNode.Entry] {
        var entries: [TemplateNode.Entry] = []
        var merged: [TemplateNode.Entry] = []
        for (keyNode, valueNode) in mapping {
            let keyLine = keyNode.mark?.line ?? line
            guard case .scalar(let key) = keyNode else {
                throw .at("", line: keyLine, "invalid YAML: mapping keys must be plain strings")
            }
            let value = try convert(valueNode, line: keyLine)
            if key.string == "<<", key.style == .plain || key.style == .any {
                // YAML merge key (`<<: *defaults`): its entries fill in keys the mapping lacks.
                let sources = value.items ?? [value]
                for source in sources { merged += source.entries ?? [] }
            } else {
                entries.append(.init(key: key.string, value: value))
            }
        }
        for entry in merged where !entries.contains(where: { $0.key == entry.key }) {
            entries.append(entry)
        }
        return entries
    }

    /// Plain scalars get YAML 1.2 core-schema types (no `yes`/`no` booleans, no timestamps);
    /// quoted and block scalars are strings; standard `!!` tags force a type.
    private static func classify(_ scalar: Node.Scalar, tag: String) -> TemplateNode.Scalar {
        let text = scalar.string
        switch tag {
        case "tag:yaml.org,2002:str", "!": return .init(text: text, kind: .string)
        case "tag:yaml.org,2002:bool": return .init(text: text.lowercased(), kind: .bool)
        case "tag:yaml.org,2002:null": return .init(text: "", kind: .null)
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
            return .init(text: text, kind: Double(text) == nil ? .string : .number)
        default: break
        }
        guard scalar.style == .plain || scalar.style == .any else { return .init(text: text, kind: .string) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .init(text: text, kind: .null)
        case "true", "True", "TRUE": return .init(text: "true", kind: .bool)
        case "false", "False", "FALSE": return .init(text: "false", kind: .bool)
        default: return .init(text: text, kind: isNumber(text) ? .number : .string)
        }
    }

    /// Decimal numbers only (`3`, `-1.5`, `2e3`); `0x1F`, `.inf` and `1_000` stay text.
    static func isNumber(_ text: String) -> Bool {
        guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == "." else { return false }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return false }
        return Double(text) != nil
    }

    /// `!Ref X` → `{Ref: X}`, `!Condition X` → `{Condition: X}`, `!Sub …` → `{Fn::Sub: …}`, and
    /// so on for any `!Name`, so an unknown tag fails only where it is evaluated, naming the function.
    private static func shortForm(_ tag: String, wrapping node: TemplateNode) -> TemplateNode {
        guard tag.hasPrefix("!"), tag.count > 1, !tag.hasPrefix("!!") else { return node }
        let name = String(tag.dropFirst())
        let key = name == "Ref" || name == "Condition" ? name : "Fn::\(name)"
        return TemplateNode(value: .mapping([.init(key: key, value: node)]), line: node.line)
    }
}

extension Node {
    /// The tag as written (`!Ref`, `tag:yaml.org,2002:str`), or empty when implicit. Read from the
    /// unresolved tag: `Node.tag` would resolve implicit tags with YAML 1.1 rules.
    fileprivate var tagName: String {
        switch self {
        case .scalar(let s): s.tag.rawValue
        case .mapping(let m): m.tag.rawValue
        case .sequence(let s): s.tag.rawValue
        case .alias: ""
        }
    }
}
