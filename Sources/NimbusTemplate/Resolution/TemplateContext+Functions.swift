import Foundation

/// The list and mapping intrinsics: `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If`, `Fn::FindInMap`.
extension TemplateContext {
    func join(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode {
        let items = try arguments(of: "Fn::Join", argument, count: 2...2, at: path)
        let delimiter = try resolveValue(items[0], at: path, in: "Fn::Join").text(at: path)
        let values = try resolveValue(items[1], at: path, in: "Fn::Join").textList(at: path)
        return .string(values.joined(separator: delimiter), line: line)
    }

    func select(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode {
        let items = try arguments(of: "Fn::Select", argument, count: 2...2, at: path)
        let index = try resolveValue(items[0], at: path, in: "Fn::Select").integer(at: path)
        let list = try resolveValue(items[1], at: path, in: "Fn::Select").list(at: path)
        guard list.indices.contains(index) else {
            let items = list.count == 1 ? "1 item" : "\(list.count) items"
            throw .at(path, line: line, "Fn::Select: index \(index) is out of range (\(items))")
        }
        return list[index]
    }

    func split(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode {
        let items = try arguments(of: "Fn::Split", argument, count: 2...2, at: path)
        let delimiter = try resolveValue(items[0], at: path, in: "Fn::Split").text(at: path)
        let source = try resolveValue(items[1], at: path, in: "Fn::Split").text(at: path)
        guard !delimiter.isEmpty else { throw .at(path, line: line, "Fn::Split: the delimiter is empty") }
        let parts = source.components(separatedBy: delimiter).map { TemplateNode.string($0, line: line) }
        return TemplateNode(value: .sequence(parts), line: line)
    }

    /// Only the chosen branch is resolved, so the other may refer to resources the condition excludes.
    func ifThenElse(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode? {
        let items = try arguments(of: "Fn::If", argument, count: 3...3, at: path)
        let name = try resolveValue(items[0], at: path, in: "Fn::If").text(at: path)
        let chosen = try condition(named: name, line: line, at: path) ? items[1] : items[2]
        return try resolve(chosen, at: path)
    }

    func findInMap(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode? {
        let items = try arguments(of: "Fn::FindInMap", argument, count: 3...4, at: path)
        var keys: [String] = []
        for item in items.prefix(3) {
            keys.append(try resolveValue(item, at: path, in: "Fn::FindInMap").text(at: path))
        }
        // The optional fourth item `{DefaultValue: …}` (AWS::LanguageExtensions) answers a missing key.
        let fallback = items.count == 4 ? items[3]["DefaultValue"] : nil
        var location = "Mappings"
        var current = TemplateNode(value: .mapping(mappings), line: line)
        for key in keys {
            guard let next = current[key] else {
                if let fallback { return try resolve(fallback, at: path) }
                throw .at(path, line: line, "Fn::FindInMap: \(location) has no key '\(key)'")
            }
            location = TemplatePath.join(location, key)
            current = next
        }
        current.line = line
        return current
    }
}
