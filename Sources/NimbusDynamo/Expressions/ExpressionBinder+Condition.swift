/// Binding and checking of condition, filter and key-condition expressions.
extension ExpressionBinder {
    static let conditionFunctionArity: [String: Int] = [
        "attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
        "begins_with": 2, "contains": 2, "size": 1,
    ]
    static let attributeTypes: Set<String> = ["S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M"]

    static func bindCondition(_ syntax: Syntax.Condition, kind: ExpressionKind, _ context: inout ExpressionContext) throws(DynamoError) -> Expression.Condition {
        var binder = ExpressionBinder(kind: kind)
        let bound = binder.condition(syntax, &context)
        try binder.check()
        return bound
    }

    private mutating func condition(_ syntax: Syntax.Condition, _ context: inout ExpressionContext) -> Expression.Condition {
        switch syntax {
        case .parenthesized(let inner):
            if case .parenthesized = inner { note(.redundantParentheses, "The expression has redundant parentheses;") }
            return condition(inner, &context)
        case .and(let a, let b):
            return .and(condition(a, &context), condition(b, &context))
        case .or(let a, let b):
            return .or(condition(a, &context), condition(b, &context))
        case .not(let a):
            return .not(condition(a, &context))
        case .compare(let comparator, let a, let b):
            let left = operand(a, &context), right = operand(b, &context)
            checkDistinct(comparator.rawValue, [left, right])
            return .compare(comparator, left, right)
        case .between(let a, let low, let high):
            let subject = operand(a, &context), lower = operand(low, &context), upper = operand(high, &context)
            checkBetween(lower, upper)
            return .between(subject, lower, upper)
        case .inList(let a, let list):
            return .inList(operand(a, &context), list.map { operand($0, &context) })
        case .function(let name, let arguments):
            return function(name, arguments, &context)
        }
    }

    /// Operands: paths, values and `size(…)`; any other function here is misused.
    private mutating func operand(_ syntax: Syntax.Operand, _ context: inout ExpressionContext) -> Expression.Operand {
        switch syntax {
        case .parenthesized(let inner):
            if case .parenthesized = inner { note(.redundantParentheses, "The expression has redundant parentheses;") }
            return operand(inner, &context)
        case .value(let placeholder):
            return .value(value(placeholder, &context))
        case .path(let p):
            return .path(path(p, &context))
        case .function(let name, let arguments):
            guard Self.conditionFunctionArity[name] != nil else {
                note(.unknownFunction, "Invalid function name; function: \(name)")
                arguments.forEach { _ = operand($0, &context) }
                return .value(.null)
            }
            guard name == "size" else {
                note(.misusedFunction, "The function is not allowed to be used this way in an expression; function: \(name)")
                arguments.forEach { _ = operand($0, &context) }
                return .value(.null)
            }
            let bound = arguments.map { operand($0, &context) }
            guard bound.count == 1 else {
                note(.operandCount, "Incorrect number of operands for operator or function; operator or function: size, number of operands: \(bound.count)")
                return .value(.null)
            }
            if let type = Self.staticType(bound[0]), ["N", "BOOL", "NULL"].contains(type) {
                note(.function, "Incorrect operand type for operator or function; operator or function: size, operand type: \(type)")
            }
            return .size(bound[0])
        }
    }

    private mutating func function(_ name: String, _ arguments: [Syntax.Operand], _ context: inout ExpressionContext) -> Expression.Condition {
        let bound = arguments.map { operand($0, &context) }
        guard let arity = Self.conditionFunctionArity[name] else {
            note(.unknownFunction, "Invalid function name; function: \(name)")
            return .constant(false)
        }
        if name == "size" {
            note(.misusedFunction, "The function is not allowed to be used this way in an expression; function: size")
            return .constant(false)
        }
        guard bound.count == arity else {
            note(.operandCount, "Incorrect number of operands for operator or function; operator or function: \(name), number of operands: \(bound.count)")
            return .constant(false)
        }
        checkDistinct(name, bound)
        switch name {
        case "attribute_exists", "attribute_not_exists":
            guard case .path(let p) = bound[0] else {
                note(.function, "Operator or function requires a document path; operator or function: \(name)")
                return .constant(false)
            }
            return name == "attribute_exists" ? .exists(p) : .notExists(p)
        case "begins_with":
            for argument in bound {
                if let type = Self.staticType(argument), type != "S", type != "B" {
                    note(.function, "Incorrect operand type for operator or function; operator or function: begins_with, operand type: \(type)")
                }
            }
            return .beginsWith(bound[0], bound[1])
        case "attribute_type":
            guard case .value(.s(let typeName)) = bound[1] else {
                let type = Self.staticType(bound[1]) ?? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
                note(.function, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: \(type)")
                return .constant(false)
            }
            guard Self.attributeTypes.contains(typeName) else {
                note(.function, "Invalid attribute type name found; type: \(typeName), valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
                return .constant(false)
            }
            return .attributeType(bound[0], typeName)
        default:
            return .contains(bound[0], bound[1])
        }
    }

    /// The type an operand certainly has, when it is known without an item.
    static func staticType(_ operand: Expression.Operand) -> String? {
        switch operand {
        case .value(let v): v.typeName
        case .size: "N"
        case .path: nil
        }
    }

    private mutating func checkDistinct(_ name: String, _ operands: [Expression.Operand]) {
        guard operands.count == 2, case .path(let a) = operands[0], case .path(let b) = operands[1], a == b else { return }
        note(.distinct, "The first operand must be distinct from the remaining operands for this operator or function; operator: \(name), first operand: \(a)")
    }

    private mutating func checkBetween(_ low: Expression.Operand, _ high: Expression.Operand) {
        guard case .value(let a) = low, case .value(let b) = high else { return }
        let bounds = "lower bound operand: AttributeValue: {\(a.typeName):\(Self.display(a))}, upper bound operand: AttributeValue: {\(b.typeName):\(Self.display(b))}"
        if a.typeName != b.typeName {
            note(.function, "The BETWEEN operator requires same data type for lower and upper bounds; \(bounds)")
        } else if let order = AttributeValue.compare(a, b), order > 0 {
            note(.function, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; \(bounds)")
        }
    }

    static func display(_ value: AttributeValue) -> String {
        switch value {
        case .s(let s): s
        case .n(let n): n.text
        case .b(let b): Base64.encode(b)
        case .bool(let b): String(b)
        case .null: "true"
        default: value.typeName
        }
    }
}
