/// A function's `Layers` → the absolute folders of layers declared in this template. Entries are
/// usually `!Ref MyLayer` (which resolves to the folder); ARNs naming a layer of this template are
/// matched by layer name; anything else cannot be provided and is reported.
struct LayerResolver {
    let context: TemplateContext

    func paths(_ properties: PropertyMap) throws(TemplateError) -> [String] {
        guard let node = try properties.value("Layers") else { return [] }
        let listPath = properties.path("Layers")
        let known = try knownLayers(line: node.line, at: listPath)
        var paths: [String] = []
        for (index, item) in try node.list(at: listPath).enumerated() {
            let path = TemplatePath.join(listPath, index: index)
            let reference = try item.text(at: path)
            if let layer = known.first(where: { $0.path == reference || $0.arn == reference })
                ?? Self.layerName(inARN: reference).flatMap({ name in known.first { $0.name == name } })
            {
                paths.append(layer.path)
            } else {
                context.warn(path, "layer '\(reference)' is not defined in this template; ignored")
            }
        }
        return paths
    }

    private typealias KnownLayer = (path: String, arn: String, name: String)

    private func knownLayers(line: Int?, at path: String) throws(TemplateError) -> [KnownLayer] {
        var layers: [KnownLayer] = []
        for entry in context.resources.values.sorted(by: { $0.logicalID < $1.logicalID })
        where ResourceType.isLayer(entry.type) {
            if let condition = entry.condition, try !context.condition(named: condition, line: line, at: path) { continue }
            let name = try context.layerName(of: entry)
            let folder = try context.physicalName(of: entry.logicalID, line: line, at: path)
            layers.append((folder, context.layerARN(name: name), name))
        }
        return layers
    }

    /// `arn:aws:lambda:us-east-1:123456789012:layer:shared:3` → `shared`.
    static func layerName(inARN text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "layer" else { return nil }
        return String(parts[6])
    }
}
