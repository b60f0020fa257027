/// The value `Ref` gives for a template parameter: text, or a list for `CommaDelimitedList` and `List<…>`.
enum ParameterValue: Equatable {
    case string(String)
    case list([String])

    func node(line: Int?) -> TemplateNode {
        switch self {
        case .string(let text): .string(text, line: line)
        case .list(let items): TemplateNode(value: .sequence(items.map { .string($0, line: line) }), line: line)
        }
    }
}
