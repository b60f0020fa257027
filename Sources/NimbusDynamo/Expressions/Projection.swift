/// A set of document paths to keep from items (ProjectionExpression, AttributesToGet, index
/// projections, UPDATED_OLD/UPDATED_NEW). Selected list elements come back as a shorter list in
/// index order, as DynamoDB returns them.
struct Projection: Sendable {
    private struct Node: Sendable {
        var isLeaf = false
        var children: [DocumentPath.Element: Node] = [:]
    }

    private var root = Node()
    let paths: [DocumentPath]

    init(_ paths: [DocumentPath]) {
        self.paths = paths
        for path in paths { Self.insert(path.elements[...], into: &root) }
    }

    private static func insert(_ elements: ArraySlice<DocumentPath.Element>, into node: inout Node) {
        guard let first = elements.first else {
            node.isLeaf = true
            return
        }
        insert(elements.dropFirst(), into: &node.children[first, default: Node()])
    }

    func apply(to item: Item) -> Item {
        var result: Item = [:]
        for (element, child) in root.children {
            guard case .name(let name) = element, let value = item[name] else { continue }
            if let projected = Self.project(value, child) { result[name] = projected }
        }
        return result
    }

    private static func project(_ value: AttributeValue, _ node: Node) -> AttributeValue? {
        if node.isLeaf { return value }
        switch value {
        case .m(let map):
            var out: [String: AttributeValue] = [:]
            for (element, child) in node.children {
                guard case .name(let name) = element, let v = map[name] else { continue }
                if let projected = project(v, child) { out[name] = projected }
            }
            return out.isEmpty ? nil : .m(out)
        case .l(let list):
            var selected: [(Int, AttributeValue)] = []
            for (element, child) in node.children {
                guard case .index(let i) = element, i < list.count else { continue }
                if let projected = project(list[i], child) { selected.append((i, projected)) }
            }
            return selected.isEmpty ? nil : .l(selected.sorted { $0.0 < $1.0 }.map(\.1))
        default:
            return nil
        }
    }
}
