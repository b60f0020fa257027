import Foundation

/// A resource's (or event's) `Properties` as written, read key by key: each value is resolved
/// (intrinsics evaluated) when read, and every type error names the property's path.
struct PropertyMap {
    let context: TemplateContext
    let entries: [TemplateNode.Entry]
    let path: String
    /// Where "missing" errors point: the line of the `Properties:` key (or of the resource).
    var line: Int?

    init(_ node: TemplateNode?, path: String, line: Int?, context: TemplateContext) throws(TemplateError) {
        if let node, !node.isNull {
            guard let entries = node.entries else { throw .at(path, line: node.line, "expected a mapping") }
            self.entries = entries
        } else {
            self.entries = []
        }
        self.path = path
        self.line = node?.line ?? line
        self.context = context
    }

    func path(_ key: String) -> String { TemplatePath.join(path, key) }

    /// Warns about each property Nimbus neither acts on (`supported`) nor can ignore without
    /// changing what the application sees (`quiet`: access control, capacity, metadata), with
    /// what the user would miss when `reasons` knows it (then the whole message).
    func warnAboutUnsupported(supported: Set<String>, quiet: Set<String> = [], reasons: [String: String] = [:]) {
        for key in entries.map(\.key) where !supported.contains(key) && !quiet.contains(key) {
            context.warn(path(key), reasons[key] ?? "not supported by Nimbus; ignored")
        }
    }

    /// The line of a key's value when written, else of the mapping.
    func line(of key: String) -> Int? { raw(key)?.line ?? line }

    func missing(_ key: String) -> TemplateError { .at(path(key), line: line, "missing") }

    func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The value as written, intrinsics unevaluated.
    func raw(_ key: String) -> TemplateNode? {
        entries.first { $0.key == key }?.value
    }

    /// The resolved value; nil when absent, null, or removed by `AWS::NoValue`.
    func value(_ key: String) throws(TemplateError) -> TemplateNode? {
        guard let raw = raw(key),
            let value = try context.resolve(raw, at: path(key)), !value.isNull
        else { return nil }
        return value
    }

    func string(_ key: String) throws(TemplateError) -> String? {
        try value(key)?.text(at: path(key))
    }

    func requiredString(_ key: String) throws(TemplateError) -> String {
        guard let text = try string(key) else { throw missing(key) }
        return text
    }

    func number(_ key: String, in range: ClosedRange<Double>? = nil) throws(TemplateError) -> Double? {
        guard let node = try value(key) else { return nil }
        let number = try node.number(at: path(key))
        if let range, !range.contains(number) {
            throw .at(path(key), line: node.line, "must be between \(Int(range.lowerBound)) and \(Int(range.upperBound))")
        }
        return number
    }

    func integer(_ key: String, in range: ClosedRange<Int>? = nil) throws(TemplateError) -> Int? {
        guard let node = try value(key) else { return nil }
        let number = try node.integer(at: path(key))
        if let range, !range.contains(number) {
            throw .at(path(key), line: node.line, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func flag(_ key: String) throws(TemplateError) -> Bool? {
        try value(key)?.flag(at: path(key))
    }

    func textList(_ key: String) throws(TemplateError) -> [String]? {
        try value(key)?.textList(at: path(key))
    }

    /// A nested mapping (`Environment`, `EphemeralStorage`, …), read the same way.
    func map(_ key: String) throws(TemplateError) -> PropertyMap? {
        guard let node = try value(key) else { return nil }
        return try PropertyMap(node, path: path(key), line: node.line, context: context)
    }
}
