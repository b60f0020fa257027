import NimbusCore

/// Reads a parsed template section by section (Transform, Parameters, Mappings, Conditions,
/// Globals, Resources) into a `StackDefinition`, stopping at the first error.
struct TemplateReader {
    let context: TemplateContext
    let parameterOverrides: [String: String]

    static let serverlessTransform = "AWS::Serverless-2016-10-31"
    static let sections: Set<String> = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Globals", "Resources", "Outputs",
    ]

    func read(_ root: TemplateNode) throws(TemplateError) -> StackDefinition {
        guard let sections = root.entries else {
            throw .at("", line: root.line, "the template must be a mapping of sections (Resources, Parameters, …)")
        }
        for section in sections where !Self.sections.contains(section.key) {
            context.warn(section.key, "unknown template section; ignored")
        }
        if root["Rules"] != nil { context.warn("Rules", "not evaluated by Nimbus; ignored") }
        try readParameters(root["Parameters"])
        try readMappings(root["Mappings"])
        try readConditions(root["Conditions"])
        let functionGlobals = try readGlobals(root["Globals"])
        let resources = try declareResources(root["Resources"], rootLine: root.line)
        try readTransform(root["Transform"], resources: resources)
        return try readResources(resources, functionGlobals: functionGlobals)
    }

    private func readTransform(_ node: TemplateNode?, resources: [ResourceEntry]) throws(TemplateError) {
        guard let node else {
            if resources.contains(where: { $0.type.hasPrefix("AWS::Serverless::") }) {
                context.warn("Transform", "missing \(Self.serverlessTransform); AWS::Serverless resources are read anyway")
            }
            return
        }
        let names = node.items ?? [node]
        for (index, item) in names.enumerated() {
            let path = node.items == nil ? "Transform" : TemplatePath.join("Transform", index: index)
            guard let name = item.scalar?.text else {
                context.warn(path, "only named transforms are understood; ignored")
                continue
            }
            if name != Self.serverlessTransform { context.warn(path, "\(name) is not supported by Nimbus; ignored") }
        }
    }

    private func readMappings(_ node: TemplateNode?) throws(TemplateError) {
        guard let node else { return }
        let maps = try node.mapping(at: "Mappings")
        for map in maps {
            let path = TemplatePath.join("Mappings", map.key)
            for top in try map.value.mapping(at: path) {
                _ = try top.value.mapping(at: TemplatePath.join(path, top.key))
            }
        }
        context.mappings = maps
    }

    /// Every condition is evaluated here, in order, so a broken one fails even when unused.
    private func readConditions(_ node: TemplateNode?) throws(TemplateError) {
        guard let node else { return }
        let conditions = try node.mapping(at: "Conditions")
        for condition in conditions { context.conditionDefinitions[condition.key] = condition.value }
        for condition in conditions {
            _ = try context.condition(named: condition.key, line: condition.value.line, at: "Conditions.\(condition.key)")
        }
    }

    /// `Globals.Function`; other Globals sections configure resources Nimbus does not model.
    private func readGlobals(_ node: TemplateNode?) throws(TemplateError) -> TemplateNode? {
        guard let node else { return nil }
        var function: TemplateNode?
        for section in try node.mapping(at: "Globals") {
            let path = TemplatePath.join("Globals", section.key)
            guard section.key == "Function" else {
                context.warn(path, "not supported by Nimbus; ignored")
                continue
            }
            for property in try section.value.mapping(at: path) where ["FunctionName", "Events"].contains(property.key) {
                throw .at(TemplatePath.join(path, property.key), line: property.value.line, "not allowed in Globals")
            }
            function = section.value
        }
        return function
    }
}
