/// Conditions (WHERE), values (literals, parameters, paths, functions) and document paths.
extension PartiQLParser {
    /// Functions that are conditions on their own, as in `WHERE begins_with(sk, 'a')`.
    static let conditionFunctions: Set<String> = ["begins_with", "contains", "attribute_exists", "attribute_not_exists", "attribute_type"]

    /// The types `IS` accepts.
    static let typeNames = ["MISSING", "NULL", "BOOLEAN", "BLOB", "STRING", "NUMERIC", "STRUCT", "TUPLE", "LIST"]

    mutating func condition() throws(DynamoError) -> PartiQLStatement.Condition {
        try enter()
        defer { nesting -= 1 }
        var left = try conjunction()
        while accept(keyword: "OR") { left = .or(left, try conjunction()) }
        return left
    }

    private mutating func conjunction() throws(DynamoError) -> PartiQLStatement.Condition {
        var left = try negation()
        while accept(keyword: "AND") { left = .and(left, try negation()) }
        return left
    }

    private mutating func negation() throws(DynamoError) -> PartiQLStatement.Condition {
        if accept(keyword: "NOT") {
            try enter()
            defer { nesting -= 1 }
            return .not(try negation())
        }
        return try predicate()
    }

    private mutating func predicate() throws(DynamoError) -> PartiQLStatement.Condition {
        if accept(symbol: "(") {
            let inner = try condition()
            try expect(symbol: ")")
            return inner
        }
        if current.kind == .word, tokens[position + 1].isSymbol("("), Self.conditionFunctions.contains(current.text.lowercased()) {
            let name = advance().text.lowercased()
            return .function(name, try arguments())
        }
        let left = try value()
        let negated = accept(keyword: "NOT")
        let result: PartiQLStatement.Condition
        if accept(keyword: "BETWEEN") {
            let low = try value()
            try expect(keyword: "AND")
            result = .between(left, low, try value())
        } else if accept(keyword: "IN") {
            result = .inList(left, try inList(left))
        } else if !negated, accept(keyword: "IS") {
            let isNot = accept(keyword: "NOT")
            guard current.kind == .word else { throw unexpected() }
            let type = advance().text.uppercased()
            guard Self.typeNames.contains(type) else {
                throw .validation("Unsupported data type for IS operator: \(type). Supported data types are [\(Self.typeNames.joined(separator: ", "))]")
            }
            return isNot ? .not(.isType(left, type)) : .isType(left, type)
        } else if !negated, let comparator = comparator() {
            result = .compare(comparator, left, try value())
        } else if case .function(let name, _) = left {
            throw .validation("Unrecognized function: \(name)")
        } else {
            throw current.kind == .end || current.isSymbol(")") || current.isKeyword("AND") || current.isKeyword("OR")
                ? .validation("WHERE clause must contain an expression that resolves to a boolean") : unexpected()
        }
        return negated ? .not(result) : result
    }

    private mutating func comparator() -> Syntax.Comparator? {
        guard current.kind == .symbol else { return nil }
        let comparator: Syntax.Comparator? = switch current.text {
        case "=": .equal
        case "<>", "!=": .notEqual
        case "<": .less
        case "<=": .lessOrEqual
        case ">": .greater
        case ">=": .greaterOrEqual
        default: nil
        }
        if comparator != nil { position += 1 }
        return comparator
    }

    /// `IN [a, b]` or `IN (a, b)`, with a path on the left and at least one member.
    private mutating func inList(_ left: PartiQLStatement.Value) throws(DynamoError) -> [PartiQLStatement.Value] {
        let invalid = DynamoError.validation(
            "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member")
        guard case .path = left else { throw invalid }
        let close: String
        if accept(symbol: "[") {
            close = "]"
        } else if accept(symbol: "(") {
            close = ")"
        } else {
            throw invalid
        }
        var members: [PartiQLStatement.Value] = []
        if !accept(symbol: close) {
            repeat { members.append(try value()) } while accept(symbol: ",")
            try expect(symbol: close)
        }
        if members.isEmpty { throw invalid }
        return members
    }

    /// `(a, b, …)` after a function name.
    private mutating func arguments() throws(DynamoError) -> [PartiQLStatement.Value] {
        try expect(symbol: "(")
        var values: [PartiQLStatement.Value] = []
        if accept(symbol: ")") { return values }
        repeat { values.append(try value()) } while accept(symbol: ",")
        try expect(symbol: ")")
        return values
    }

    // MARK: Values

    mutating func value() throws(DynamoError) -> PartiQLStatement.Value {
        try enter()
        defer { nesting -= 1 }
        var left = try primary()
        while true {
            if accept(symbol: "+") {
                left = .plus(left, try primary())
            } else if accept(symbol: "-") {
                left = .minus(left, try primary())
            } else {
                return left
            }
        }
    }

    private mutating func primary() throws(DynamoError) -> PartiQLStatement.Value {
        let token = current
        switch token.kind {
        case .parameter:
            position += 1
            parameterCount += 1
            return .parameter(parameterCount - 1)
        case .string:
            position += 1
            return .literal(.s(token.text))
        case .number:
            position += 1
            return .literal(.n(try Self.number(token.text)))
        case .symbol where token.text == "-" && tokens[position + 1].kind == .number:
            position += 1
            return .literal(.n(try Self.number("-" + advance().text)))
        case .symbol where token.text == "{":
            position += 1
            return .map(try mapEntries())
        case .symbol where token.text == "[":
            position += 1
            return .list(try members(closing: "]"))
        case .symbol where token.text == "<<":
            position += 1
            return .set(try members(closing: ">>"))
        case .symbol where token.text == "(":
            position += 1
            let inner = try value()
            try expect(symbol: ")")
            return inner
        case .word where token.isKeyword("TRUE") || token.isKeyword("FALSE"):
            position += 1
            return .literal(.bool(token.isKeyword("TRUE")))
        case .word where token.isKeyword("NULL"):
            position += 1
            return .literal(.null)
        case .word where token.isKeyword("MISSING"):
            throw .validation("MISSING must be compared using IS operator")
        case .word where tokens[position + 1].isSymbol("("):
            position += 1
            return .function(token.text.lowercased(), try arguments())
        default:
            return .path(try path())
        }
    }

    private mutating func members(closing: String) throws(DynamoError) -> [PartiQLStatement.Value] {
        var values: [PartiQLStatement.Value] = []
        if accept(symbol: closing) { return values }
        repeat { values.append(try value()) } while accept(symbol: ",")
        try expect(symbol: closing)
        return values
    }

    /// After `{`: `'key': value, …}`. Keys are string literals and appear once.
    private mutating func mapEntries() throws(DynamoError) -> [PartiQLStatement.MapEntry] {
        var entries: [PartiQLStatement.MapEntry] = []
        if accept(symbol: "}") { return entries }
        var seen = Set<String>()
        repeat {
            guard current.kind == .string else {
                if current.kind == .quotedName || current.kind == .word || current.kind == .number {
                    throw .validation("Tuple keys must be of type String. Actual type: \(current.kind == .number ? "DECIMAL" : "SYMBOL")")
                }
                throw unexpected()
            }
            let key = advance().text
            guard seen.insert(key).inserted else { throw .validation("Duplicate keys in tuple. Key: \(key)") }
            try expect(symbol: ":")
            entries.append(PartiQLStatement.MapEntry(key: key, value: try value()))
        } while accept(symbol: ",")
        try expect(symbol: "}")
        return entries
    }

    private static func number(_ text: String) throws(DynamoError) -> DynamoNumber {
        do {
            return try DynamoNumber(parsing: text)
        } catch {
            throw .validation(error.message)
        }
    }

    // MARK: Paths

    /// `name`, `"quoted name"`, `a.b`, `a[2].c`.
    mutating func path() throws(DynamoError) -> DocumentPath {
        var elements: [DocumentPath.Element] = [.name(try name())]
        while true {
            if accept(symbol: ".") {
                elements.append(.name(try name()))
            } else if accept(symbol: "[") {
                guard current.kind == .number, let index = Int(current.text) else { throw unexpected() }
                position += 1
                try expect(symbol: "]")
                elements.append(.index(index))
            } else {
                return DocumentPath(elements)
            }
        }
    }
}
