/// A parsed XML element: what S3 request bodies (`Delete`, `CompleteMultipartUpload`,
/// `LifecycleConfiguration`, `CreateBucketConfiguration`) need, and nothing more.
///
/// Names are local names (a `prefix:` is dropped) because clients may or may not qualify
/// elements with S3's namespace.
struct XMLTree: Sendable, Equatable {
    var name: String
    var children: [XMLTree]
    /// Concatenated character data directly inside this element.
    var text: String

    init(name: String, children: [XMLTree] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    func children(_ name: String) -> [XMLTree] {
        children.filter { $0.name == name }
    }

    /// Text of the first child named `name`, with surrounding whitespace removed.
    func value(_ name: String) -> String? {
        child(name).map { $0.text.trimmingXMLWhitespace() }
    }
}

extension StringProtocol {
    func trimmingXMLWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
