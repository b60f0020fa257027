/// Merges `Globals.Function` into a function's `Properties` the way SAM does: the function's
/// own values win, mappings merge key by key (so `Environment.Variables` combine), and lists
/// are concatenated, Globals first. Intrinsic functions count as plain values.
enum GlobalsMerger {
    /// Lists SAM replaces instead of concatenating: a function runs on one architecture.
    static let replacedLists: Set<String> = ["Architectures"]

    static func merge(_ globals: TemplateNode?, into local: TemplateNode?) -> TemplateNode? {
        guard let globals else { return local }
        guard let local else { return globals }
        return merge(globals, local, key: "")
    }

    private static func merge(_ global: TemplateNode, _ local: TemplateNode, key: String) -> TemplateNode {
        switch (global.value, local.value) {
        case (.mapping(let globalEntries), .mapping(var localEntries))
        where global.intrinsic == nil && local.intrinsic == nil:
            for entry in globalEntries {
                if let index = localEntries.firstIndex(where: { $0.key == entry.key }) {
                    localEntries[index].value = merge(entry.value, localEntries[index].value, key: entry.key)
                } else {
                    localEntries.append(entry)
                }
            }
            return TemplateNode(value: .mapping(localEntries), line: local.line)
        case (.sequence(let globalItems), .sequence(let localItems)) where !replacedLists.contains(key):
            return TemplateNode(value: .sequence(globalItems + localItems), line: local.line)
        default:
            return local
        }
    }
}
