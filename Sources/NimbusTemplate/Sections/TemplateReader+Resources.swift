import NimbusCore

extension TemplateReader {
    static let resourceAttributes: Set<String> = [
        "Type", "Properties", "Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy",
        "UpdatePolicy", "CreationPolicy",
    ]

    /// Registers every resource (so `Ref` finds those declared later), checking its shape.
    func declareResources(_ node: TemplateNode?, rootLine: Int?) throws(TemplateError) -> [ResourceEntry] {
        guard let node else { throw .at("Resources", line: rootLine, "missing") }
        guard node.intrinsic == nil else { throw .at("Resources", line: node.line, "expected a mapping of resources") }
        let declared = try node.mapping(at: "Resources")
        guard !declared.isEmpty else { throw .at("Resources", line: node.line, "declares no resources") }
        var entries: [ResourceEntry] = []
        for resource in declared {
            let path = TemplatePath.join("Resources", resource.key)
            guard !resource.key.isEmpty, resource.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw .at(path, line: resource.value.line, "logical ids may contain only letters and digits")
            }
            let fields = try resource.value.mapping(at: path)
            if let unknown = fields.first(where: { !Self.resourceAttributes.contains($0.key) }) {
                throw .at(TemplatePath.join(path, unknown.key), line: unknown.value.line,
                    "unknown resource attribute (should it be under Properties?)")
            }
            guard let type = resource.value["Type"] else {
                throw .at(TemplatePath.join(path, "Type"), line: resource.value.line, "missing")
            }
            guard let typeName = type.scalar?.text, type.scalar?.kind == .string else {
                throw .at(TemplatePath.join(path, "Type"), line: type.line, "expected a string")
            }
            if let condition = resource.value["Condition"], condition.scalar?.kind != .string {
                throw .at(TemplatePath.join(path, "Condition"), line: condition.line, "expected the name of a condition")
            }
            let entry = ResourceEntry(logicalID: resource.key, type: typeName, node: resource.value)
            context.resources[resource.key] = entry
            entries.append(entry)
        }
        return entries
    }

    func readResources(_ entries: [ResourceEntry], functionGlobals: TemplateNode?) throws(TemplateError) -> StackDefinition {
        var stack = StackDefinition()
        var owners: [String: String] = [:]
        for entry in entries {
            if let condition = entry.condition {
                let path = TemplatePath.join(entry.path, "Condition")
                guard try context.condition(named: condition, line: entry.node["Condition"]?.line, at: path) else {
                    context.warn(entry.path, "skipped: condition '\(condition)' is false")
                    continue
                }
            }
            switch entry.type {
            case ResourceType.serverlessFunction:
                let reader = FunctionReader(context: context, globals: functionGlobals)
                guard let function = try reader.read(entry) else { continue }
                try claim("function \(function.name)", for: entry, in: &owners)
                stack.functions.append(function)
            case ResourceType.serverlessLayer, ResourceType.lambdaLayer:
                stack.layers.append(try LayerReader(context: context).read(entry))
            case ResourceType.dynamoTable, ResourceType.simpleTable:
                let table = try TableReader(context: context).read(entry)
                try claim("table \(table.tableName)", for: entry, in: &owners)
                stack.tables.append(table)
            case ResourceType.bucket:
                let bucket = try BucketReader(context: context).read(entry)
                try claim("bucket \(bucket.bucketName)", for: entry, in: &owners)
                stack.buckets.append(bucket)
            default:
                context.warn(entry.path, "\(entry.type) is not supported by Nimbus; ignored")
            }
        }
        stack.warnings = context.warnings
        return stack
    }

    /// Two resources with the same physical name would share one function, table or bucket.
    private func claim(_ name: String, for entry: ResourceEntry, in owners: inout [String: String]) throws(TemplateError) {
        if let owner = owners[name] {
            throw .at(entry.path, line: entry.node.line, "duplicate \(name) (also \(owner))")
        }
        owners[name] = entry.path
    }
}
