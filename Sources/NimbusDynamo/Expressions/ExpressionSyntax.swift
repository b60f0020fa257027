/// Which request parameter an expression came from; names the expression in error messages.
enum ExpressionKind: String, Sendable, Hashable {
    case update = "UpdateExpression"
    case condition = "ConditionExpression"
    case filter = "FilterExpression"
    case keyCondition = "KeyConditionExpression"
    case projection = "ProjectionExpression"

    /// "Invalid UpdateExpression: …"
    func error(_ detail: String) -> DynamoError {
        .validation("Invalid \(rawValue): \(detail)")
    }
}

/// The parse tree of an expression before placeholders are substituted. Parse trees depend only on
/// the expression text, so they are cached and bound to each request's names and values separately.
enum Syntax {
    enum PathElement: Equatable, Sendable {
        case name(String)
        case placeholder(String)
        case index(Int)
    }

    struct Path: Equatable, Sendable {
        var elements: [PathElement]
    }

    indirect enum Operand: Equatable, Sendable {
        case path(Path)
        case value(String)
        case function(name: String, arguments: [Operand])
        case parenthesized(Operand)
    }

    enum Comparator: String, Sendable {
        case equal = "="
        case notEqual = "<>"
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    indirect enum Condition: Equatable, Sendable {
        case compare(Comparator, Operand, Operand)
        case between(Operand, Operand, Operand)
        case inList(Operand, [Operand])
        case function(name: String, arguments: [Operand])
        case and(Condition, Condition)
        case or(Condition, Condition)
        case not(Condition)
        case parenthesized(Condition)
    }

    indirect enum SetValue: Equatable, Sendable {
        case operand(Operand)
        case plus(Operand, Operand)
        case minus(Operand, Operand)
        case parenthesized(SetValue)
    }

    enum UpdateAction: Equatable, Sendable {
        case set(Path, SetValue)
        case remove(Path)
        case add(Path, Operand)
        case delete(Path, Operand)
    }

    struct UpdateClause: Equatable, Sendable {
        var keyword: String  // SET, REMOVE, ADD, DELETE
        var actions: [UpdateAction]
    }

    struct Update: Equatable, Sendable {
        var clauses: [UpdateClause]
    }
}

extension Syntax.Operand {
    /// The operand without any redundant parentheses around it.
    var unwrapped: Syntax.Operand {
        if case .parenthesized(let inner) = self { return inner.unwrapped }
        return self
    }
}

extension Syntax.Comparator {
    /// The comparator with its operands swapped: `5 < a` is `a > 5`.
    var flipped: Syntax.Comparator {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        default: self
        }
    }
}
