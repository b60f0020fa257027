/// A resolved document path such as `a.b[2].c` (placeholders already substituted).
struct DocumentPath: Hashable, Sendable, CustomStringConvertible {
    enum Element: Hashable, Sendable {
        case name(String)
        case index(Int)
    }

    /// A path names at most 32 levels (each name and index is one), as deep as an item nests.
    /// The wording of the refusal, and that the count covers every element, come from two
    /// DynamoDB expression checkers written against the live service (found by their message,
    /// "The document path has too many nesting levels; nesting levels: N").
    static let maximumElements = ItemShape.maximumNesting

    var elements: [Element]

    init(_ elements: [Element]) {
        self.elements = elements
    }

    init(name: String) {
        self.elements = [.name(name)]
    }

    /// The top-level attribute name (paths always start with a name).
    var head: String {
        if case .name(let n) = elements.first { return n }
        return ""
    }

    var isTopLevel: Bool { elements.count == 1 }

    /// DynamoDB's rendering in messages: `[a, b, [2]]`.
    var description: String {
        "[" + elements.map { element in
            switch element {
            case .name(let n): n
            case .index(let i): "[\(i)]"
            }
        }.joined(separator: ", ") + "]"
    }

    /// Whether one path is a prefix of the other (or equal): such paths overlap.
    func overlaps(_ other: DocumentPath) -> Bool {
        let count = min(elements.count, other.elements.count)
        for i in 0..<count where elements[i] != other.elements[i] { return false }
        return true
    }

    /// Whether the paths use a name where the other uses an index at the same depth.
    func conflicts(_ other: DocumentPath) -> Bool {
        let count = min(elements.count, other.elements.count)
        for i in 0..<count {
            switch (elements[i], other.elements[i]) {
            case (.name(let a), .name(let b)): if a != b { return false }
            case (.index(let a), .index(let b)): if a != b { return false }
            default: return true
            }
        }
        return false
    }
}
