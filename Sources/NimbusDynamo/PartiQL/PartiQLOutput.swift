/// How SELECT shapes what it returns: a projected path comes back as a top-level attribute named
/// after its last name (`SELECT m.k[1], l[0], m.z` gives `k[1]`, `l[0]` and `z`), as DynamoDB does.
enum PartiQLOutput {
    static func name(of path: DocumentPath) -> String {
        let lastName = path.elements.lastIndex { if case .name = $0 { true } else { false } } ?? 0
        return path.elements[lastName...].map { element in
            switch element {
            case .name(let name): name
            case .index(let i): "[\(i)]"
            }
        }.joined()
    }

    /// The item as SELECT returns it: whole for `*`, else the projected paths that exist.
    static func project(_ item: Item, _ paths: [DocumentPath]?) -> Item {
        guard let paths else { return item }
        var result: Item = [:]
        for path in paths {
            if let value = ItemPaths.value(in: item, at: path) { result[name(of: path)] = value }
        }
        return result
    }
}
