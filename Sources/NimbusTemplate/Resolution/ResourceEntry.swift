/// A resource as declared, before it is read: enough for `Ref` and `Fn::GetAtt` to find it.
struct ResourceEntry {
    var logicalID: String
    var type: String
    /// The resource's mapping (`Type`, `Properties`, `Condition`, …).
    var node: TemplateNode
    var path: String { "Resources.\(logicalID)" }
    var properties: TemplateNode? { node["Properties"] }
    var condition: String? { node["Condition"]?.scalar?.text }
}
