/// The first problem found in a template: where it is (file, line, property path) and what is wrong.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The template file as the caller named it (`template.yaml`).
    public var file: String
    /// Dotted property path (`Resources.EchoFunction.Properties.Handler`); empty for document-level problems.
    public var path: String
    /// 1-based line, when the YAML parser reported one.
    public var line: Int?
    public var message: String

    public init(file: String, path: String, line: Int?, message: String) {
        self.file = file
        self.path = path
        self.line = line
        self.message = message
    }

    /// `template.yaml:12: Resources.EchoFunction.Properties.Handler: missing`, the compiler-style form
    /// editors and terminals link to.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if !path.isEmpty { text += "\(path): " }
        return text + message
    }

    /// An error raised below the loader, which fills in `file` at the boundary.
    static func at(_ path: String, line: Int?, _ message: String) -> TemplateError {
        TemplateError(file: "", path: path, line: line, message: message)
    }
}
