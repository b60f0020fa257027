import Foundation
import NimbusCore

/// Typed readings of resolved nodes (no intrinsics left). Numbers and booleans may also arrive as
/// strings, because `Ref` to a parameter always yields text, as in CloudFormation.
extension TemplateNode {
    /// Any scalar as text: strings as written, numbers as written, booleans as `true`/`false`.
    func text(at path: String) throws(TemplateError) -> String {
        guard let scalar, scalar.kind != .null else { throw .at(path, line: line, "expected a string") }
        return scalar.text
    }

    func number(at path: String) throws(TemplateError) -> Double {
        guard let scalar, scalar.kind == .number || scalar.kind == .string,
            YAMLReader.isNumber(scalar.text.trimmingCharacters(in: .whitespaces)),
            let value = Double(scalar.text.trimmingCharacters(in: .whitespaces))
        else { throw .at(path, line: line, "expected a number") }
        return value
    }

    func integer(at path: String) throws(TemplateError) -> Int {
        let value = try number(at: path)
        guard value.rounded() == value, let whole = Int(exactly: value) else {
            throw .at(path, line: line, "expected a whole number")
        }
        return whole
    }

    func flag(at path: String) throws(TemplateError) -> Bool {
        switch scalar?.text.lowercased() {
        case "true" where scalar?.kind != .number: return true
        case "false" where scalar?.kind != .number: return false
        default: throw .at(path, line: line, "expected true or false")
        }
    }

    func list(at path: String) throws(TemplateError) -> [TemplateNode] {
        guard let items else { throw .at(path, line: line, "expected a list") }
        return items
    }

    func textList(at path: String) throws(TemplateError) -> [String] {
        var texts: [String] = []
        for (index, item) in try list(at: path).enumerated() {
            texts.append(try item.text(at: TemplatePath.join(path, index: index)))
        }
        return texts
    }

    func mapping(at path: String) throws(TemplateError) -> [Entry] {
        guard let entries else { throw .at(path, line: line, "expected a mapping") }
        return entries
    }

    /// The value as JSON, for properties Nimbus hands on unmodelled (table and bucket properties).
    var json: JSONValue {
        switch value {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: .null
            case .bool: .bool(scalar.text == "true")
            case .number: Double(scalar.text).map(JSONValue.number) ?? .string(scalar.text)
            case .string: .string(scalar.text)
            }
        case .sequence(let items): .array(items.map(\.json))
        case .mapping(let entries):
            .object(Dictionary(entries.map { ($0.key, $0.value.json) }, uniquingKeysWith: { _, last in last }))
        }
    }
}
