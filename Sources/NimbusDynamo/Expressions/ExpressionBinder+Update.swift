/// Binding and checking of update expressions.
extension ExpressionBinder {
    static let updateFunctionArity: [String: Int] = ["if_not_exists": 2, "list_append": 2]

    static func bindUpdate(_ syntax: Syntax.Update, _ context: inout ExpressionContext) throws(DynamoError) -> [Expression.UpdateAction] {
        var binder = ExpressionBinder(kind: .update)
        var seenSections = Set<String>()
        var actions: [Expression.UpdateAction] = []
        for clause in syntax.clauses {
            if !seenSections.insert(clause.keyword).inserted {
                binder.note(.section, "The \"\(clause.keyword)\" section can only be used once in an update expression;")
            }
            for action in clause.actions {
                actions.append(binder.action(action, &context))
            }
        }
        binder.checkDistinctPaths(actions.map(\.path))
        try binder.check()
        return actions
    }

    private mutating func action(_ syntax: Syntax.UpdateAction, _ context: inout ExpressionContext) -> Expression.UpdateAction {
        switch syntax {
        case .set(let p, let value):
            let target = path(p, &context)
            return .set(target, setValue(value, &context))
        case .remove(let p):
            return .remove(path(p, &context))
        case .add(let p, let operand):
            let target = path(p, &context)
            let v = operandValue(operand, &context)
            checkOperator("ADD", v)
            return .add(target, v)
        case .delete(let p, let operand):
            let target = path(p, &context)
            let v = operandValue(operand, &context)
            checkOperator("DELETE", v)
            return .delete(target, v)
        }
    }

    private mutating func operandValue(_ operand: Syntax.Operand, _ context: inout ExpressionContext) -> AttributeValue {
        if case .value(let placeholder) = operand { return value(placeholder, &context) }
        return .null
    }

    /// ADD takes numbers and sets; DELETE takes sets.
    private mutating func checkOperator(_ name: String, _ value: AttributeValue) {
        if value.isSet { return }
        if name == "ADD", case .n = value { return }
        // (An undefined value binds as NULL; its own message outranks this one.)
        note(.operand, "Incorrect operand type for operator or function; operator: \(name), operand type: \(value.longTypeName)")
    }

    private mutating func setValue(_ syntax: Syntax.SetValue, _ context: inout ExpressionContext) -> Expression.UpdateValue {
        switch syntax {
        case .parenthesized(let inner):
            return setValue(inner, &context)
        case .operand(let o):
            return .operand(updateOperand(o, &context))
        case .plus(let a, let b):
            let left = updateOperand(a, &context), right = updateOperand(b, &context)
            checkArithmetic("+", [left, right])
            return .plus(left, right)
        case .minus(let a, let b):
            let left = updateOperand(a, &context), right = updateOperand(b, &context)
            checkArithmetic("-", [left, right])
            return .minus(left, right)
        }
    }

    private mutating func checkArithmetic(_ name: String, _ operands: [Expression.UpdateOperand]) {
        for case .value(let v) in operands {
            if case .n = v { continue }
            note(.function, "Incorrect operand type for operator or function; operator or function: \(name), operand type: \(v.typeName)")
        }
    }

    private mutating func updateOperand(_ syntax: Syntax.Operand, _ context: inout ExpressionContext) -> Expression.UpdateOperand {
        switch syntax {
        case .parenthesized(let inner):
            return updateOperand(inner, &context)
        case .value(let placeholder):
            return .value(value(placeholder, &context))
        case .path(let p):
            return .path(path(p, &context))
        case .function(let name, let arguments):
            let bound = arguments.map { updateOperand($0, &context) }
            guard let arity = Self.updateFunctionArity[name] else {
                note(.unknownFunction, "Invalid function name; function: \(name)")
                return .value(.null)
            }
            guard bound.count == arity else {
                note(.function, "Incorrect number of operands for operator or function; operator or function: \(name), number of operands: \(bound.count)")
                return .value(.null)
            }
            if name == "if_not_exists" {
                guard case .path(let p) = bound[0] else {
                    note(.function, "Operator or function requires a document path; operator or function: if_not_exists")
                    return .value(.null)
                }
                return .ifNotExists(p, bound[1])
            }
            for case .value(let v) in bound {
                if case .l = v { continue }
                note(.function, "Incorrect operand type for operator or function; operator or function: list_append, operand type: \(v.typeName)")
            }
            return .listAppend(bound[0], bound[1])
        }
    }
}
