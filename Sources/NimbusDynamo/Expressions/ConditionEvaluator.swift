/// Evaluates bound conditions against an item (a missing item is an empty one). Comparisons with a
/// missing attribute or mismatched types are false, except `<>`, which is then true.
enum ConditionEvaluator {
    static func evaluate(_ condition: Expression.Condition, on item: Item) -> Bool {
        switch condition {
        case .constant(let b):
            return b
        case .and(let a, let b):
            return evaluate(a, on: item) && evaluate(b, on: item)
        case .or(let a, let b):
            return evaluate(a, on: item) || evaluate(b, on: item)
        case .not(let a):
            return !evaluate(a, on: item)
        case .exists(let path):
            return ItemPaths.value(in: item, at: path) != nil
        case .notExists(let path):
            return ItemPaths.value(in: item, at: path) == nil
        case .compare(let comparator, let a, let b):
            let left = resolve(a, in: item), right = resolve(b, in: item)
            return compare(comparator, left, right)
        case .between(let a, let low, let high):
            guard let subject = resolve(a, in: item), let lower = resolve(low, in: item), let upper = resolve(high, in: item),
                let c1 = AttributeValue.compare(subject, lower), let c2 = AttributeValue.compare(subject, upper)
            else { return false }
            return c1 >= 0 && c2 <= 0
        case .inList(let a, let list):
            guard let subject = resolve(a, in: item) else { return false }
            return list.contains { resolve($0, in: item).map { $0 == subject } ?? false }
        case .attributeType(let a, let type):
            return resolve(a, in: item)?.typeName == type
        case .beginsWith(let a, let b):
            switch (resolve(a, in: item), resolve(b, in: item)) {
            case (.s(let s)?, .s(let prefix)?): return s.utf8.starts(with: prefix.utf8)
            case (.b(let data)?, .b(let prefix)?): return data.starts(with: prefix)
            default: return false
            }
        case .contains(let a, let b):
            guard let container = resolve(a, in: item), let element = resolve(b, in: item) else { return false }
            return contains(container, element)
        }
    }

    static func compare(_ comparator: Syntax.Comparator, _ left: AttributeValue?, _ right: AttributeValue?) -> Bool {
        switch comparator {
        case .equal:
            guard let left, let right else { return false }
            return left == right
        case .notEqual:
            guard let left, let right else { return true }
            return left != right
        default:
            guard let left, let right, let order = AttributeValue.compare(left, right) else { return false }
            switch comparator {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    static func resolve(_ operand: Expression.Operand, in item: Item) -> AttributeValue? {
        switch operand {
        case .value(let v): return v
        case .path(let p): return ItemPaths.value(in: item, at: p)
        case .size(let inner):
            guard let value = resolve(inner, in: item) else { return nil }
            let count: Int
            switch value {
            case .s(let s): count = s.utf8.count
            case .b(let b): count = b.count
            case .ss(let v): count = v.count
            case .ns(let v): count = v.count
            case .bs(let v): count = v.count
            case .l(let v): count = v.count
            case .m(let v): count = v.count
            default: return nil
            }
            return .n(DynamoNumber(count))
        }
    }

    static func contains(_ container: AttributeValue, _ element: AttributeValue) -> Bool {
        switch (container, element) {
        case (.s(let s), .s(let sub)):
            return sub.isEmpty || containsBytes(Array(s.utf8), Array(sub.utf8))
        case (.b(let data), .b(let sub)):
            return sub.isEmpty || containsBytes(data, sub)
        case (.ss(let set), .s(let s)):
            return set.contains { $0.utf8.elementsEqual(s.utf8) }
        case (.ns(let set), .n(let n)):
            return set.contains(n)
        case (.bs(let set), .b(let b)):
            return set.contains(b)
        case (.l(let list), _):
            return list.contains(element)
        default:
            return false
        }
    }

    private static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
