import NimbusCore

/// `AWS::Serverless::Function` (Zip package) → `FunctionConfiguration`, Globals merged.
struct FunctionReader {
    let context: TemplateContext
    /// `Globals.Function`, as written.
    let globals: TemplateNode?

    /// Properties with no effect on how Nimbus runs a function (IAM is not enforced; tags and
    /// descriptions are metadata), accepted without a warning.
    static let quietlyAccepted: Set<String> = [
        "Description", "Tags", "PropagateTags", "Policies", "Role", "RolePath", "PermissionsBoundary",
        "AssumeRolePolicyDocument", "Tracing", "KmsKeyArn", "CodeSigningConfigArn", "VersionDescription",
        "AutoPublishCodeSha256", "AutoPublishAliasAllProperties", "RuntimeManagementConfig",
    ]

    /// The configuration, or nil for a function Nimbus skips (with a warning).
    func read(_ entry: ResourceEntry) throws(TemplateError) -> FunctionConfiguration? {
        let propertiesPath = TemplatePath.join(entry.path, "Properties")
        let merged = GlobalsMerger.merge(globals, into: entry.properties)
        var properties = try PropertyMap(merged, path: propertiesPath, line: nil, context: context)
        // "missing" points at the function's own `Properties:` (or the resource), never at Globals.
        properties.line = entry.properties?.line ?? entry.node.line

        if let packageType = try properties.string("PackageType") {
            switch packageType {
            case "Zip": break
            case "Image":
                context.warn(entry.path, "PackageType Image is not supported yet; function skipped")
                return nil
            default:
                throw .at(properties.path("PackageType"), line: properties.line(of: "PackageType"), "expected Zip or Image")
            }
        }
        var builder = Builder(logicalID: entry.logicalID)
        for key in properties.entries.map(\.key) {
            try read(key, of: properties, entry: entry, into: &builder)
        }
        if builder.name == nil { builder.name = try functionName(entry, properties) }
        return try builder.configuration(properties)
    }

    private func read(_ key: String, of properties: PropertyMap, entry: ResourceEntry, into builder: inout Builder)
        throws(TemplateError)
    {
        switch key {
        case "FunctionName": builder.name = try functionName(entry, properties)
        case "Runtime":
            builder.runtime = try properties.string(key)
            if let runtime = builder.runtime, RuntimeFamily(runtime: runtime) == nil {
                context.warn(properties.path(key), "runtime \(runtime) is not supported by Nimbus workers")
            }
        case "Handler": builder.handler = try properties.string(key)
        case "CodeUri":
            if let value = try properties.value(key) {
                builder.codePath = try context.localFolder(value, at: properties.path(key), mustExist: true)
            }
        case "InlineCode":
            throw .at(
                properties.path(key), line: properties.line(of: key), "InlineCode is not supported; use CodeUri with a folder")
        case "Timeout": builder.timeout = try properties.number(key, in: 1...900)
        case "MemorySize": builder.memorySize = try properties.integer(key, in: 128...10240)
        case "EphemeralStorage": builder.ephemeralStorage = try properties.map(key)?.integer("Size", in: 512...10240)
        case "Environment": builder.environment = try environment(properties)
        case "Layers": builder.layers = try LayerResolver(context: context).paths(properties)
        case "ReservedConcurrentExecutions": builder.reservedConcurrency = try properties.integer(key, in: 0...100_000)
        case "ProvisionedConcurrencyConfig":
            let config = try properties.map(key)
            builder.provisionedConcurrency = try config?.integer("ProvisionedConcurrentExecutions", in: 0...100_000)
        case "AutoPublishAlias": builder.autoPublishAlias = try properties.string(key)
        case "Architectures": builder.architectures = try architectures(properties)
        case "EventInvokeConfig": builder.eventInvoke = try EventInvokeConfigReader(context: context).read(properties)
        case "Events":
            // Read event by event: ignored event types are never evaluated.
            if let events = properties.raw(key), !events.isNull {
                if builder.name == nil { builder.name = try functionName(entry, properties) }
                if let name = builder.name {
                    builder.events = try EventReader(context: context).read(events, at: properties.path(key), function: name)
                }
            }
        case "PackageType": break
        case let key where Self.quietlyAccepted.contains(key): break
        default: context.warn(properties.path(key), "not supported by Nimbus; ignored")
        }
    }

    private func functionName(_ entry: ResourceEntry, _ properties: PropertyMap) throws(TemplateError) -> FunctionName {
        let text = try context.physicalName(of: entry.logicalID, line: properties.line, at: properties.path("FunctionName"))
        guard let name = FunctionName(text) else {
            let written = properties.raw("FunctionName")
            throw .at(written == nil ? entry.path : properties.path("FunctionName"), line: written?.line ?? entry.node.line,
                "invalid function name '\(text)': use 1–64 letters, digits, '-' or '_'")
        }
        return name
    }

    /// `Environment.Variables`, values as text (`3` → "3", `true` → "true").
    private func environment(_ properties: PropertyMap) throws(TemplateError) -> [String: String] {
        guard let variables = try properties.map("Environment")?.map("Variables") else { return [:] }
        var environment: [String: String] = [:]
        for entry in variables.entries {
            let path = variables.path(entry.key)
            guard Self.isVariableName(entry.key) else {
                throw .at(path, line: entry.value.line,
                    "invalid environment variable name (letters, digits and '_', starting with a letter)")
            }
            guard let value = try variables.value(entry.key) else { continue }
            guard value.scalar != nil else {
                throw .at(path, line: value.line, "expected a string, number or boolean")
            }
            environment[entry.key] = try value.text(at: path)
        }
        return environment
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
        }
    }

    private func architectures(_ properties: PropertyMap) throws(TemplateError) -> [String]? {
        guard let list = try properties.textList("Architectures") else { return nil }
        guard list == ["x86_64"] || list == ["arm64"] else {
            throw .at(
                properties.path("Architectures"), line: properties.line(of: "Architectures"), "expected [x86_64] or [arm64]")
        }
        return list
    }
}
