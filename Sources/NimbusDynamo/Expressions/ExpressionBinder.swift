/// Turns parse trees into bound expressions: substitutes `#name` / `:value` placeholders and runs
/// DynamoDB's semantic checks. Like DynamoDB, it notes every problem while walking and then reports
/// the one of highest priority, so the message matches what DynamoDB would say first.
struct ExpressionBinder {
    enum Issue: Int, Comparable {
        case redundantParentheses, reserved, unknownFunction, misusedFunction, section
        case undefinedReference, undefinedName, undefinedValue, pathDepth
        case pathOverlap, pathConflict, operand, operandCount, distinct, function

        static func < (lhs: Issue, rhs: Issue) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    let kind: ExpressionKind
    private var issues: [Issue: String] = [:]

    init(kind: ExpressionKind) {
        self.kind = kind
    }

    /// Reporting order, taken from DynamoDB's behaviour per expression language.
    private var priority: [Issue] {
        switch kind {
        case .update:
            [.reserved, .unknownFunction, .section, .undefinedName, .pathDepth, .undefinedValue, .pathOverlap, .pathConflict, .operand, .function]
        default:
            [.redundantParentheses, .unknownFunction, .misusedFunction, .reserved, .undefinedReference, .pathDepth, .operandCount, .distinct, .function, .pathOverlap, .pathConflict]
        }
    }

    mutating func note(_ issue: Issue, _ message: String) {
        if issues[issue] == nil { issues[issue] = message }
    }

    func check() throws(DynamoError) {
        for issue in priority {
            if let message = issues[issue] { throw kind.error(message) }
        }
    }

    // MARK: Shared pieces

    mutating func path(_ path: Syntax.Path, _ context: inout ExpressionContext) -> DocumentPath {
        var elements: [DocumentPath.Element] = []
        elements.reserveCapacity(path.elements.count)
        for element in path.elements {
            switch element {
            case .name(let name):
                if ReservedWords.contains(name) { note(.reserved, "Attribute name is a reserved keyword; reserved keyword: \(name)") }
                elements.append(.name(name))
            case .placeholder(let placeholder):
                if let name = context.name(placeholder) {
                    elements.append(.name(name))
                } else {
                    note(kind == .update ? .undefinedName : .undefinedReference,
                         "An expression attribute name used in the document path is not defined; attribute name: \(placeholder)")
                    elements.append(.name(placeholder))
                }
            case .index(let i):
                elements.append(.index(i))
            }
        }
        if elements.count > DocumentPath.maximumElements {
            note(.pathDepth, "The document path has too many nesting levels; nesting levels: \(elements.count)")
        }
        return DocumentPath(elements)
    }

    mutating func value(_ placeholder: String, _ context: inout ExpressionContext) -> AttributeValue {
        if let value = context.value(placeholder) { return value }
        note(kind == .update ? .undefinedValue : .undefinedReference,
             "An expression attribute value used in expression is not defined; attribute value: \(placeholder)")
        return .null
    }

    /// Paths may not repeat or contain each other within one update or projection.
    mutating func checkDistinctPaths(_ paths: [DocumentPath]) {
        for (i, second) in paths.enumerated() {
            for first in paths[..<i] {
                if first.conflicts(second) {
                    note(.pathConflict, "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: \(first), path two: \(second)")
                } else if first.overlaps(second) {
                    note(.pathOverlap, "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: \(first), path two: \(second)")
                }
            }
        }
    }

    // MARK: Projection

    static func bindProjection(_ paths: [Syntax.Path], _ context: inout ExpressionContext) throws(DynamoError) -> [DocumentPath] {
        var binder = ExpressionBinder(kind: .projection)
        let bound = paths.map { binder.path($0, &context) }
        binder.checkDistinctPaths(bound)
        try binder.check()
        return bound
    }
}
