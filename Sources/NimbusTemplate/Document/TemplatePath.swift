/// Property paths in errors and warnings: `Resources.Fn.Properties.Layers[0]`.
enum TemplatePath {
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func join(_ path: String, index: Int) -> String {
        "\(path)[\(index)]"
    }
}
