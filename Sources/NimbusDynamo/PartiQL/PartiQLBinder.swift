/// Binds a statement's values and conditions to the request's `Parameters`, producing the engine's
/// bound expressions (the same ones ConditionExpression and UpdateExpression turn into).
struct PartiQLBinder {
    let parameters: [AttributeValue]

    /// A value with no paths in it: a literal, a parameter, or a map, list or set of them.
    func value(_ value: PartiQLStatement.Value) throws(DynamoError) -> AttributeValue {
        switch value {
        case .literal(let v):
            return v
        case .parameter(let i):
            return parameters[i]  // The planner checked the count before binding.
        case .map(let entries):
            var map: [String: AttributeValue] = [:]
            for entry in entries { map[entry.key] = try self.value(entry.value) }
            return .m(map)
        case .list(let values):
            var list: [AttributeValue] = []
            for v in values { list.append(try self.value(v)) }
            return .l(list)
        case .set(let values):
            var members: [AttributeValue] = []
            for v in values { members.append(try self.value(v)) }
            return try Self.set(members)
        case .path:
            throw .validation("Unsupported operation: a document path where a value is expected")
        case .function(let name, _):
            throw .validation("Unsupported operation: function \(name) where a value is expected")
        case .plus, .minus:
            throw .validation("Unsupported operator in Condition Expression. Operator: \(value.operatorName)")
        }
    }

    /// `<<…>>`: a string or number set (binary sets come only as parameters).
    static func set(_ members: [AttributeValue]) throws(DynamoError) -> AttributeValue {
        guard !members.isEmpty else { throw .validation("Empty bags are not supported") }
        let strings = members.compactMap(\.stringValue)
        let numbers = members.compactMap(\.numberValue)
        let set: AttributeValue
        if strings.count == members.count {
            set = .ss(strings)
        } else if numbers.count == members.count {
            set = .ns(numbers)
        } else {
            throw .validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags")
        }
        let distinct: Int = switch set {
        case .ss(let s): Set(s.map { Array($0.utf8) }).count
        case .ns(let n): Set(n).count
        default: members.count
        }
        guard distinct == members.count else { throw .validation("Input collection contains duplicates") }
        return set
    }

    func operand(_ value: PartiQLStatement.Value) throws(DynamoError) -> Expression.Operand {
        switch value {
        case .path(let p):
            return .path(p)
        case .function("size", let arguments):
            guard arguments.count == 1 else { throw Self.argumentCount("size") }
            return .size(try operand(arguments[0]))
        case .function(let name, _):
            throw .validation("Unrecognized function: \(name)")
        default:
            return .value(try self.value(value))
        }
    }

    func condition(_ condition: PartiQLStatement.Condition) throws(DynamoError) -> Expression.Condition {
        switch condition {
        case .compare(let comparator, let a, let b):
            return .compare(comparator, try operand(a), try operand(b))
        case .between(let a, let low, let high):
            return .between(try operand(a), try operand(low), try operand(high))
        case .inList(let a, let members):
            var list: [Expression.Operand] = []
            for member in members { list.append(try operand(member)) }
            return .inList(try operand(a), list)
        case .isType(let a, let type):
            guard case .path(let path) = a else {
                throw .validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path")
            }
            if type == "MISSING" { return .notExists(path) }
            let types: [String] = switch type {
            case "NULL": ["NULL"]
            case "BOOLEAN": ["BOOL"]
            case "BLOB": ["B"]
            case "STRING": ["S"]
            case "NUMERIC": ["N"]
            case "LIST": ["L"]
            default: ["M"]  // STRUCT, TUPLE
            }
            return .any(types.map { .attributeType(.path(path), $0) })
        case .function(let name, let arguments):
            return try function(name, arguments)
        case .and(let a, let b):
            return .and(try self.condition(a), try self.condition(b))
        case .or(let a, let b):
            return .or(try self.condition(a), try self.condition(b))
        case .not(let a):
            return .not(try self.condition(a))
        }
    }

    private func function(_ name: String, _ arguments: [PartiQLStatement.Value]) throws(DynamoError) -> Expression.Condition {
        func path(_ value: PartiQLStatement.Value) throws(DynamoError) -> DocumentPath {
            guard case .path(let p) = value else { throw .validation("Unsupported operation: \(name) requires a document path") }
            return p
        }
        switch name {
        case "attribute_exists", "attribute_not_exists":
            guard arguments.count == 1 else { throw Self.argumentCount(name) }
            let p = try path(arguments[0])
            return name == "attribute_exists" ? .exists(p) : .notExists(p)
        case "begins_with", "contains", "attribute_type":
            guard arguments.count == 2 else { throw Self.argumentCount(name) }
            let subject = try operand(arguments[0])
            if name == "attribute_type" {
                guard case .s(let type) = try value(arguments[1]) else {
                    throw .validation("Unsupported operation: attribute_type takes a type name such as 'S'")
                }
                return .attributeType(subject, type)
            }
            let argument = try operand(arguments[1])
            return name == "begins_with" ? .beginsWith(subject, argument) : .contains(subject, argument)
        default:
            throw .validation("Unrecognized function: \(name)")
        }
    }

    static func argumentCount(_ function: String) -> DynamoError {
        .validation("Incorrect number of arguments for function: \(function)")
    }

    // MARK: Updates

    func updateActions(_ actions: [PartiQLStatement.Action]) throws(DynamoError) -> [Expression.UpdateAction] {
        var bound: [Expression.UpdateAction] = []
        for action in actions {
            switch action {
            case .remove(let path):
                bound.append(.remove(path))
            case .set(let path, .function(let name, let arguments)) where name == "set_add" || name == "set_delete":
                let upper = name.dropFirst(4).uppercased()
                guard arguments.count == 2 else { throw .validation("SET_\(upper) must have exactly two arguments") }
                guard arguments[0] == .path(path) else {
                    throw .validation("The first argument to SET_\(upper) must equal the assignment value")
                }
                let members = try value(arguments[1])
                guard members.isSet else { throw .validation("The second argument to SET_\(upper) must be a value with type SET") }
                bound.append(name == "set_add" ? .add(path, members) : .delete(path, members))
            case .set(let path, .plus(let a, let b)):
                bound.append(.set(path, .plus(try updateOperand(a), try updateOperand(b))))
            case .set(let path, .minus(let a, let b)):
                bound.append(.set(path, .minus(try updateOperand(a), try updateOperand(b))))
            case .set(let path, let value):
                bound.append(.set(path, .operand(try updateOperand(value))))
            }
        }
        return bound
    }

    private func updateOperand(_ value: PartiQLStatement.Value) throws(DynamoError) -> Expression.UpdateOperand {
        switch value {
        case .path(let p):
            return .path(p)
        case .function("list_append", let arguments):
            guard arguments.count == 2 else { throw Self.argumentCount("list_append") }
            return .listAppend(try updateOperand(arguments[0]), try updateOperand(arguments[1]))
        case .function("if_not_exists", let arguments):
            guard arguments.count == 2, case .path(let p) = arguments[0] else { throw Self.argumentCount("if_not_exists") }
            return .ifNotExists(p, try updateOperand(arguments[1]))
        case .function(let name, _):
            throw .validation("Unrecognized function: \(name)")
        case .plus, .minus:
            throw .validation("Unsupported operator in Update Expression. Operator: \(value.operatorName)")
        default:
            return .value(try self.value(value))
        }
    }
}

extension PartiQLStatement.Value {
    fileprivate var operatorName: String {
        switch self {
        case .plus: "+"
        case .minus: "-"
        default: ""
        }
    }
}
