/// `Conditions`: `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and `Condition` references,
/// each named condition evaluated once.
extension TemplateContext {
    func condition(named name: String, line: Int?, at path: String) throws(TemplateError) -> Bool {
        if let value = conditionValues[name] { return value }
        guard let definition = conditionDefinitions[name] else {
            throw .at(path, line: line, "unknown condition '\(name)'")
        }
        guard conditionsInProgress.insert(name).inserted else {
            throw .at("Conditions.\(name)", line: definition.line, "circular condition '\(name)'")
        }
        defer { conditionsInProgress.remove(name) }
        let value = try evaluateCondition(definition, at: "Conditions.\(name)")
        conditionValues[name] = value
        return value
    }

    func evaluateCondition(_ node: TemplateNode, at path: String) throws(TemplateError) -> Bool {
        if let entries = node.entries, entries.count == 1 {
            let (name, argument) = (entries[0].key, entries[0].value)
            switch name {
            case "Condition":
                let target = try resolveValue(argument, at: path, in: name).text(at: path)
                return try condition(named: target, line: node.line, at: path)
            case "Fn::Equals":
                let items = try arguments(of: name, argument, count: 2...2, at: path)
                let left = try resolveValue(items[0], at: path, in: name)
                let right = try resolveValue(items[1], at: path, in: name)
                return Self.sameValue(left, right)
            case "Fn::Not":
                let items = try arguments(of: name, argument, count: 1...1, at: path)
                return try !evaluateCondition(items[0], at: path)
            case "Fn::And", "Fn::Or":
                let items = try arguments(of: name, argument, count: 2...10, at: path)
                var values: [Bool] = []
                for item in items { values.append(try evaluateCondition(item, at: path)) }
                return name == "Fn::And" ? !values.contains(false) : values.contains(true)
            default:
                break
            }
        }
        let value = try resolveValue(node, at: path, in: "condition")
        guard let flag = try? value.flag(at: path) else {
            throw .at(path, line: node.line, "expected a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition)")
        }
        return flag
    }

    /// CloudFormation compares values as text: `1` equals `"1"`.
    static func sameValue(_ left: TemplateNode, _ right: TemplateNode) -> Bool {
        switch (left.value, right.value) {
        case (.scalar(let a), .scalar(let b)): a.text == b.text
        case (.sequence(let a), .sequence(let b)): a.count == b.count && zip(a, b).allSatisfy { sameValue($0, $1) }
        case (.mapping(let a), .mapping(let b)):
            a.count == b.count
                && a.allSatisfy { entry in
                    b.first { $0.key == entry.key }.map { sameValue(entry.value, $0.value) } ?? false
                }
        default: false
        }
    }
}
