/// Reading and writing nested document paths inside items.
enum ItemPaths {
    static let invalidPath = DynamoError.validation("The document path provided in the update expression is invalid for update")

    static func value(in item: Item, at path: DocumentPath) -> AttributeValue? {
        guard let head = item[path.head] else { return nil }
        return value(in: head, at: path.elements.dropFirst())
    }

    static func value(in value: AttributeValue, at rest: ArraySlice<DocumentPath.Element>) -> AttributeValue? {
        var current = value
        for element in rest {
            switch (current, element) {
            case (.m(let m), .name(let name)):
                guard let next = m[name] else { return nil }
                current = next
            case (.l(let l), .index(let i)):
                guard i < l.count else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Sets `path` to `newValue`. Intermediate documents must exist; an index past the end of a
    /// list appends, as DynamoDB does.
    static func set(_ newValue: AttributeValue, at path: DocumentPath, in item: inout Item) throws(DynamoError) {
        let head = path.head
        if path.isTopLevel {
            item[head] = newValue
            return
        }
        guard let existing = item[head] else { throw invalidPath }
        item[head] = try setting(newValue, in: existing, at: path.elements.dropFirst())
    }

    private static func setting(
        _ newValue: AttributeValue, in container: AttributeValue, at rest: ArraySlice<DocumentPath.Element>
    ) throws(DynamoError) -> AttributeValue {
        guard let first = rest.first else { return newValue }
        let tail = rest.dropFirst()
        switch (container, first) {
        case (.m(var m), .name(let name)):
            if tail.isEmpty {
                m[name] = newValue
            } else {
                guard let child = m[name] else { throw invalidPath }
                m[name] = try setting(newValue, in: child, at: tail)
            }
            return .m(m)
        case (.l(var l), .index(let i)):
            if tail.isEmpty {
                if i < l.count { l[i] = newValue } else { l.append(newValue) }
            } else {
                guard i < l.count else { throw invalidPath }
                l[i] = try setting(newValue, in: l[i], at: tail)
            }
            return .l(l)
        default:
            throw invalidPath
        }
    }

    /// Removes `path`; a missing final element is fine, a missing or mistyped parent is not.
    static func remove(at path: DocumentPath, in item: inout Item) throws(DynamoError) {
        let head = path.head
        if path.isTopLevel {
            item[head] = nil
            return
        }
        guard let existing = item[head] else { throw invalidPath }
        item[head] = try removing(in: existing, at: path.elements.dropFirst())
    }

    private static func removing(in container: AttributeValue, at rest: ArraySlice<DocumentPath.Element>) throws(DynamoError) -> AttributeValue {
        guard let first = rest.first else { return container }
        let tail = rest.dropFirst()
        switch (container, first) {
        case (.m(var m), .name(let name)):
            if tail.isEmpty {
                m[name] = nil
            } else {
                guard let child = m[name] else { throw invalidPath }
                m[name] = try removing(in: child, at: tail)
            }
            return .m(m)
        case (.l(var l), .index(let i)):
            if tail.isEmpty {
                if i < l.count { l.remove(at: i) }
            } else {
                guard i < l.count else { throw invalidPath }
                l[i] = try removing(in: l[i], at: tail)
            }
            return .l(l)
        default:
            throw invalidPath
        }
    }
}
