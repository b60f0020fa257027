import NimbusCore

/// `AWS::Serverless::LayerVersion` (`ContentUri`) and `AWS::Lambda::LayerVersion` (`Content` as a
/// local folder) → `LayerDefinition`.
struct LayerReader {
    let context: TemplateContext

    func read(_ entry: ResourceEntry) throws(TemplateError) -> LayerDefinition {
        // Only checks that Properties is a mapping; the layer's fields are read by the context.
        let propertiesPath = TemplatePath.join(entry.path, "Properties")
        _ = try PropertyMap(entry.properties, path: propertiesPath, line: entry.node.line, context: context)
        let path = try context.layerContentPath(of: entry, mustExist: true)
        return LayerDefinition(logicalID: entry.logicalID, name: try context.layerName(of: entry), contentPath: path)
    }
}
