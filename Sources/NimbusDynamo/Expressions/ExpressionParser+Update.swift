/// Update-expression grammar: one or more `SET` / `REMOVE` / `ADD` / `DELETE` clauses, each a
/// comma-separated list of actions.
extension ExpressionParser {
    static let updateKeywords: Set<String> = ["SET", "REMOVE", "ADD", "DELETE"]

    static func parseUpdate(_ text: String) throws(DynamoError) -> Syntax.Update {
        var parser = ExpressionParser(text, kind: .update)
        try parser.checkSize()
        if parser.isEmpty { throw parser.emptyError() }
        do throws(SyntaxFailure) {
            var clauses: [Syntax.UpdateClause] = []
            while !parser.isAtEnd {
                clauses.append(try parser.parseClause())
            }
            return Syntax.Update(clauses: clauses)
        } catch {
            throw parser.syntaxError(error)
        }
    }

    private mutating func parseClause() throws(SyntaxFailure) -> Syntax.UpdateClause {
        guard current.kind == .identifier, case let keyword = current.text.uppercased(), Self.updateKeywords.contains(keyword) else {
            throw fail()
        }
        advance()
        var actions: [Syntax.UpdateAction] = []
        repeat {
            if !actions.isEmpty { advance() }  // the comma
            actions.append(try parseAction(keyword))
        } while current.isSymbol(",")
        // A clause ends at the next clause keyword or the end.
        guard isAtEnd || (current.kind == .identifier && Self.updateKeywords.contains(current.text.uppercased())) else {
            throw fail()
        }
        return Syntax.UpdateClause(keyword: keyword, actions: actions)
    }

    private mutating func parseAction(_ keyword: String) throws(SyntaxFailure) -> Syntax.UpdateAction {
        let keywords = Self.updateKeywords
        let path = try parsePath(keywords: keywords)
        switch keyword {
        case "SET":
            try expectSymbol("=")
            return .set(path, try parseSetValue())
        case "REMOVE":
            return .remove(path)
        default:
            guard current.kind == .valueRef else { throw fail() }
            let value = Syntax.Operand.value(current.text)
            advance()
            return keyword == "ADD" ? .add(path, value) : .delete(path, value)
        }
    }

    /// `operand [('+' | '-') operand]`, optionally wrapped in one pair of parentheses.
    mutating func parseSetValue() throws(SyntaxFailure) -> Syntax.SetValue {
        var furthest: SyntaxFailure?
        let plain = attempt(&furthest) { (parser) throws(SyntaxFailure) in try parser.parseArithmetic() }
        if let plain { return plain }
        if current.isSymbol("(") {
            let grouped = attempt(&furthest) { (parser) throws(SyntaxFailure) -> Syntax.SetValue in
                parser.advance()
                let inner = try parser.parseArithmetic()
                try parser.expectSymbol(")")
                return .parenthesized(inner)
            }
            if let grouped { return grouped }
        }
        throw furthest ?? fail()
    }

    private mutating func parseArithmetic() throws(SyntaxFailure) -> Syntax.SetValue {
        let keywords = Self.updateKeywords
        let left = try parseOperand(keywords: keywords)
        if current.isSymbol("+") {
            advance()
            return .plus(left, try parseOperand(keywords: keywords))
        }
        if current.isSymbol("-") {
            advance()
            return .minus(left, try parseOperand(keywords: keywords))
        }
        // The value must end here: at a comma, a clause keyword, a closing parenthesis or the end.
        guard isAtEnd || current.isSymbol(",") || current.isSymbol(")")
            || (current.kind == .identifier && Self.updateKeywords.contains(current.text.uppercased()))
        else { throw fail() }
        return .operand(left)
    }

    /// Projection grammar: `path (',' path)*`.
    static func parseProjection(_ text: String) throws(DynamoError) -> [Syntax.Path] {
        var parser = ExpressionParser(text, kind: .projection)
        try parser.checkSize()
        if parser.isEmpty { throw parser.emptyError() }
        do throws(SyntaxFailure) {
            var paths = [try parser.parsePath(keywords: [])]
            while parser.current.isSymbol(",") {
                parser.advance()
                paths.append(try parser.parsePath(keywords: []))
            }
            guard parser.isAtEnd else { throw parser.fail() }
            return paths
        } catch {
            throw parser.syntaxError(error)
        }
    }
}
