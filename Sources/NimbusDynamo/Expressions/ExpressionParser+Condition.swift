/// Condition, filter and key-condition grammar. Precedence, loosest first: OR, AND, NOT, then
/// comparisons, BETWEEN, IN and functions; parentheses group.
extension ExpressionParser {
    static let conditionKeywords: Set<String> = ["AND", "OR", "NOT", "BETWEEN", "IN"]

    static func parseCondition(_ text: String, kind: ExpressionKind) throws(DynamoError) -> Syntax.Condition {
        var parser = ExpressionParser(text, kind: kind)
        try parser.checkSize()
        if parser.isEmpty { throw parser.emptyError() }
        do throws(SyntaxFailure) {
            let condition = try parser.parseOr()
            guard parser.isAtEnd else { throw parser.fail() }
            return condition
        } catch {
            throw parser.syntaxError(error)
        }
    }

    mutating func parseOr() throws(SyntaxFailure) -> Syntax.Condition {
        var left = try parseAnd()
        while current.isKeyword("OR") {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(SyntaxFailure) -> Syntax.Condition {
        var left = try parseNot()
        while current.isKeyword("AND") {
            advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(SyntaxFailure) -> Syntax.Condition {
        if current.isKeyword("NOT") {
            try enter()
            defer { nesting -= 1 }
            advance()
            return .not(try parseNot())
        }
        return try parsePrimaryCondition()
    }

    /// A '(' may open a grouped condition or a parenthesised operand (`(a) = :v`); try the group
    /// first and fall back, reporting whichever attempt got further on failure.
    mutating func parsePrimaryCondition() throws(SyntaxFailure) -> Syntax.Condition {
        var furthest: SyntaxFailure?
        if current.isSymbol("(") {
            let grouped = attempt(&furthest) { (parser) throws(SyntaxFailure) -> Syntax.Condition in
                try parser.enter()
                defer { parser.nesting -= 1 }
                parser.advance()
                let inner = try parser.parseOr()
                try parser.expectSymbol(")")
                return .parenthesized(inner)
            }
            if let grouped { return grouped }
        }
        let simple = attempt(&furthest) { (parser) throws(SyntaxFailure) in try parser.parseSimpleCondition() }
        if let simple { return simple }
        throw furthest ?? fail()
    }

    private mutating func parseSimpleCondition() throws(SyntaxFailure) -> Syntax.Condition {
        let keywords = Self.conditionKeywords
        let left = try parseOperand(keywords: keywords)
        if current.kind == .symbol, let comparator = Syntax.Comparator(rawValue: current.text) {
            advance()
            return .compare(comparator, left, try parseOperand(keywords: keywords))
        }
        if current.isKeyword("BETWEEN") {
            advance()
            let low = try parseOperand(keywords: keywords)
            guard current.isKeyword("AND") else { throw fail() }
            advance()
            return .between(left, low, try parseOperand(keywords: keywords))
        }
        if current.isKeyword("IN") {
            advance()
            try expectSymbol("(")
            var list = [try parseOperand(keywords: keywords)]
            while current.isSymbol(",") {
                advance()
                list.append(try parseOperand(keywords: keywords))
            }
            try expectSymbol(")")
            return .inList(left, list)
        }
        if case .function(let name, let arguments) = left {
            return .function(name: name, arguments: arguments)
        }
        throw fail()
    }
}
