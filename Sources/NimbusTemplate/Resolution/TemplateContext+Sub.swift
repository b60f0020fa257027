import Foundation

/// `Fn::Sub`: `${Param}`, `${AWS::Region}`, `${Resource}`, `${Resource.Attr}`, `${!Literal}`, and
/// the `[text, {Var: value}]` form.
extension TemplateContext {
    func substitute(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode {
        var variables: [String: String] = [:]
        let templateNode: TemplateNode
        if argument.items != nil {
            let items = try arguments(of: "Fn::Sub", argument, count: 2...2, at: path)
            templateNode = items[0]
            guard let entries = items[1].entries else {
                throw .at(path, line: items[1].line, "Fn::Sub: expected a mapping of variables")
            }
            for entry in entries {
                variables[entry.key] = try resolveValue(entry.value, at: path, in: "Fn::Sub").text(at: path)
            }
        } else {
            templateNode = argument
        }
        let template = try resolveValue(templateNode, at: path, in: "Fn::Sub").text(at: path)
        return .string(try expand(template, variables: variables, line: line, at: path), line: line)
    }

    private func expand(_ template: String, variables: [String: String], line: Int?, at path: String)
        throws(TemplateError) -> String
    {
        var output = ""
        var rest = template[...]
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            rest = rest[start.upperBound...]
            if rest.first == "!" {
                // `${!Literal}` writes `${Literal}` unchanged.
                output += "${"
                rest = rest.dropFirst()
                continue
            }
            guard let end = rest.firstIndex(of: "}") else {
                throw .at(path, line: line, "Fn::Sub: unclosed '${' in '\(template)'")
            }
            let name = rest[..<end].trimmingCharacters(in: .whitespaces)
            output += try value(of: name, variables: variables, line: line, at: path)
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    private func value(of name: String, variables: [String: String], line: Int?, at path: String)
        throws(TemplateError) -> String
    {
        if let value = variables[name] { return value }
        let isPlainName = pseudoParameter(name) != nil || parameters[name] != nil || resources[name] != nil
        if !isPlainName, let dot = name.firstIndex(of: ".") {
            let resource = String(name[..<dot])
            let attribute = String(name[name.index(after: dot)...])
            return try attributeValue(resource, attribute, in: "Fn::Sub", line: line, at: path)
        }
        guard let node = try ref(name, in: "Fn::Sub", line: line, at: path) else {
            throw .at(path, line: line, "Fn::Sub: AWS::NoValue cannot be substituted")
        }
        guard let scalar = node.scalar else {
            throw .at(path, line: line, "Fn::Sub: '${\(name)}' is a list, not a string")
        }
        return scalar.text
    }
}
