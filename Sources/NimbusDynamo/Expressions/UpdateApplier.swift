/// Applies bound update actions to an item. Right-hand sides read the item as it was before the
/// update (so `SET a = b, b = a` swaps); list removals apply from the highest index down so that
/// indexes refer to the original list.
enum UpdateApplier {
    static let missingAttribute = DynamoError.validation("The provided expression refers to an attribute that does not exist in the item")
    static let incorrectType = DynamoError.validation("An operand in the update expression has an incorrect data type")

    static func apply(_ actions: [Expression.UpdateAction], to original: Item) throws(DynamoError) -> Item {
        var item = original
        var removals: [DocumentPath] = []
        var later: [Expression.UpdateAction] = []
        for action in actions {
            switch action {
            case .set(let path, let value):
                let newValue = try evaluate(value, in: original)
                try ItemPaths.set(newValue, at: path, in: &item)
            case .remove(let path):
                removals.append(path)
            default:
                later.append(action)
            }
        }
        for path in removals.sorted(by: removalOrder) {
            try ItemPaths.remove(at: path, in: &item)
        }
        for action in later {
            switch action {
            case .add(let path, let value): try add(value, at: path, in: &item, appendLists: false)
            case .legacyAdd(let path, let value): try add(value, at: path, in: &item, appendLists: true)
            case .delete(let path, let value): try delete(value, at: path, in: &item)
            default: break
            }
        }
        return item
    }

    /// Deeper list indexes first, so earlier removals don't shift later ones.
    private static func removalOrder(_ a: DocumentPath, _ b: DocumentPath) -> Bool {
        for (x, y) in zip(a.elements, b.elements) where x != y {
            if case .index(let i) = x, case .index(let j) = y { return i > j }
            return false
        }
        return a.elements.count > b.elements.count
    }

    static func evaluate(_ value: Expression.UpdateValue, in item: Item) throws(DynamoError) -> AttributeValue {
        switch value {
        case .operand(let o):
            return try evaluate(o, in: item)
        case .plus(let a, let b), .minus(let a, let b):
            guard case .n(let x) = try evaluate(a, in: item), case .n(let y) = try evaluate(b, in: item) else {
                throw incorrectType
            }
            do {
                if case .plus = value { return .n(try DynamoNumber.adding(x, y)) }
                return .n(try DynamoNumber.subtracting(x, y))
            } catch {
                throw .validation(error.message)
            }
        }
    }

    static func evaluate(_ operand: Expression.UpdateOperand, in item: Item) throws(DynamoError) -> AttributeValue {
        switch operand {
        case .value(let v):
            return v
        case .path(let p):
            guard let v = ItemPaths.value(in: item, at: p) else { throw missingAttribute }
            return v
        case .ifNotExists(let p, let fallback):
            if let v = ItemPaths.value(in: item, at: p) { return v }
            return try evaluate(fallback, in: item)
        case .listAppend(let a, let b):
            guard case .l(let first) = try evaluate(a, in: item), case .l(let second) = try evaluate(b, in: item) else {
                throw incorrectType
            }
            return .l(first + second)
        }
    }

    private static func add(_ value: AttributeValue, at path: DocumentPath, in item: inout Item, appendLists: Bool) throws(DynamoError) {
        let existing = ItemPaths.value(in: item, at: path)
        let result: AttributeValue
        switch (existing, value) {
        case (nil, _):
            result = value
        case (.n(let a)?, .n(let b)):
            do { result = .n(try DynamoNumber.adding(a, b)) } catch { throw .validation(error.message) }
        case (.ss(let a)?, .ss(let b)):
            var seen = Set(a.map { Array($0.utf8) })
            result = .ss(a + b.filter { seen.insert(Array($0.utf8)).inserted })
        case (.ns(let a)?, .ns(let b)):
            var seen = Set(a)
            result = .ns(a + b.filter { seen.insert($0).inserted })
        case (.bs(let a)?, .bs(let b)):
            var seen = Set(a)
            result = .bs(a + b.filter { seen.insert($0).inserted })
        case (.l(let a)?, .l(let b)) where appendLists:
            result = .l(a + b)
        default:
            throw incorrectType
        }
        try ItemPaths.set(result, at: path, in: &item)
    }

    private static func delete(_ value: AttributeValue, at path: DocumentPath, in item: inout Item) throws(DynamoError) {
        guard let existing = ItemPaths.value(in: item, at: path) else { return }
        let result: AttributeValue
        var isEmpty = false
        switch (existing, value) {
        case (.ss(let a), .ss(let b)):
            let drop = Set(b.map { Array($0.utf8) })
            let kept = a.filter { !drop.contains(Array($0.utf8)) }
            isEmpty = kept.isEmpty
            result = .ss(kept)
        case (.ns(let a), .ns(let b)):
            let drop = Set(b)
            let kept = a.filter { !drop.contains($0) }
            isEmpty = kept.isEmpty
            result = .ns(kept)
        case (.bs(let a), .bs(let b)):
            let drop = Set(b)
            let kept = a.filter { !drop.contains($0) }
            isEmpty = kept.isEmpty
            result = .bs(kept)
        default:
            throw incorrectType
        }
        // Sets cannot be empty: deleting the last element removes the attribute.
        if isEmpty {
            try ItemPaths.remove(at: path, in: &item)
        } else {
            try ItemPaths.set(result, at: path, in: &item)
        }
    }
}
