import Foundation

/// Intrinsic function evaluation. `resolve` returns a node without intrinsics, or nil where
/// `AWS::NoValue` removes the value (the caller drops the key or list item).
extension TemplateContext {
    func resolve(_ node: TemplateNode, at path: String) throws(TemplateError) -> TemplateNode? {
        switch node.value {
        case .scalar:
            return node
        case .sequence(let items):
            var resolved: [TemplateNode] = []
            for (index, item) in items.enumerated() {
                if let value = try resolve(item, at: TemplatePath.join(path, index: index)) { resolved.append(value) }
            }
            return TemplateNode(value: .sequence(resolved), line: node.line)
        case .mapping(let entries):
            if let (name, argument) = node.intrinsic {
                var result = try evaluate(name, argument, line: node.line, at: path)
                result?.line = node.line
                return result
            }
            var resolved: [TemplateNode.Entry] = []
            for entry in entries {
                if let value = try resolve(entry.value, at: TemplatePath.join(path, entry.key)) {
                    resolved.append(.init(key: entry.key, value: value))
                }
            }
            return TemplateNode(value: .mapping(resolved), line: node.line)
        }
    }

    /// Resolves a value that must exist: `AWS::NoValue` is an error here.
    func resolveValue(_ node: TemplateNode, at path: String, in function: String) throws(TemplateError) -> TemplateNode {
        guard let value = try resolve(node, at: path) else {
            throw .at(path, line: node.line, "\(function): AWS::NoValue is not allowed here")
        }
        return value
    }

    private func evaluate(_ name: String, _ argument: TemplateNode, line: Int?, at path: String)
        throws(TemplateError) -> TemplateNode?
    {
        switch name {
        case "Ref":
            let target = try resolveValue(argument, at: path, in: name).text(at: path)
            return try ref(target, in: name, line: line, at: path)
        case "Fn::Sub": return try substitute(argument, line: line, at: path)
        case "Fn::GetAtt": return try getAtt(argument, line: line, at: path)
        case "Fn::Join": return try join(argument, line: line, at: path)
        case "Fn::Select": return try select(argument, line: line, at: path)
        case "Fn::Split": return try split(argument, line: line, at: path)
        case "Fn::If": return try ifThenElse(argument, line: line, at: path)
        case "Fn::FindInMap": return try findInMap(argument, line: line, at: path)
        case "Fn::Base64":
            let text = try resolveValue(argument, at: path, in: name).text(at: path)
            return .string(Data(text.utf8).base64EncodedString(), line: line)
        case "Fn::GetAZs":
            let given = try resolveValue(argument, at: path, in: name).text(at: path)
            let region = given.isEmpty ? self.region : given
            return TemplateNode(value: .sequence(["a", "b", "c"].map { .string(region + $0, line: line) }), line: line)
        case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
            let condition = TemplateNode(value: .mapping([.init(key: name, value: argument)]), line: line)
            return .bool(try evaluateCondition(condition, at: path), line: line)
        case "Fn::ImportValue", "Fn::Cidr", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach":
            throw .at(path, line: line, "\(name) is not supported by Nimbus")
        default:
            throw .at(path, line: line, "unknown intrinsic function \(name)")
        }
    }

    /// The raw items of an intrinsic's list argument, checked for length.
    func arguments(of function: String, _ argument: TemplateNode, count: ClosedRange<Int>, at path: String)
        throws(TemplateError) -> [TemplateNode]
    {
        guard let items = argument.items, count.contains(items.count) else {
            let expected = count.count == 1 ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
            throw .at(path, line: argument.line, "\(function): expected a list of \(expected) items")
        }
        return items
    }
}
