/// Recursive-descent parser shared by the expression languages; the grammar for each language is
/// in an extension. Syntax errors carry the offending token so the message can quote it and its
/// neighbours the way DynamoDB does (`token: "1", near: "+ 1"`).
struct ExpressionParser {
    struct SyntaxFailure: Error {
        var tokenIndex: Int
    }

    /// DynamoDB rejects expressions over 4 KB; nesting is bounded too so recursion stays shallow.
    static let maximumSize = 4096
    static let maximumNesting = 128

    let kind: ExpressionKind
    let source: [UInt8]
    let tokens: [ExpressionToken]
    var index = 0
    var nesting = 0

    init(_ text: String, kind: ExpressionKind) {
        self.kind = kind
        self.source = Array(text.utf8)
        self.tokens = ExpressionLexer.tokenize(source)
    }

    var current: ExpressionToken { tokens[index] }
    var isAtEnd: Bool { current.kind == .end }

    func peek(_ offset: Int = 1) -> ExpressionToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func fail() -> SyntaxFailure { SyntaxFailure(tokenIndex: index) }

    mutating func expectSymbol(_ symbol: String) throws(SyntaxFailure) {
        guard current.isSymbol(symbol) else { throw fail() }
        advance()
    }

    /// Runs `body`; on failure rewinds and returns nil, remembering the furthest failure.
    mutating func attempt<T>(_ furthest: inout SyntaxFailure?, _ body: (inout ExpressionParser) throws(SyntaxFailure) -> T) -> T? {
        let saved = index
        do {
            return try body(&self)
        } catch {
            if furthest.map({ error.tokenIndex > $0.tokenIndex }) ?? true { furthest = error }
            index = saved
            return nil
        }
    }

    /// DynamoDB's syntax error: the bad token, and the source from the token before it to the
    /// token after it.
    func syntaxError(_ failure: SyntaxFailure) -> DynamoError {
        let i = min(failure.tokenIndex, tokens.count - 1)
        let token = tokens[i]
        let start = i > 0 ? tokens[i - 1].start : token.start
        let end: Int
        if token.kind == .end {
            end = i > 0 ? tokens[i - 1].end : 0
        } else if i + 1 < tokens.count, tokens[i + 1].kind != .end {
            end = tokens[i + 1].end
        } else {
            end = token.end
        }
        let near = start < end ? String(decoding: source[start..<end], as: UTF8.self) : ""
        return kind.error("Syntax error; token: \"\(token.text)\", near: \"\(near)\"")
    }

    var isEmpty: Bool { tokens.count == 1 }

    func checkSize() throws(DynamoError) {
        if source.count > Self.maximumSize {
            throw kind.error("Expression size has exceeded the maximum allowed size; expression size: \(source.count)")
        }
    }

    /// Enters one level of parentheses or function arguments.
    mutating func enter() throws(SyntaxFailure) {
        nesting += 1
        if nesting > Self.maximumNesting { throw fail() }
    }

    func emptyError() -> DynamoError { kind.error("The expression can not be empty;") }

    // MARK: Paths

    /// `name ( '.' name | '[' digits ']' )*` where a name is an identifier or `#placeholder`.
    mutating func parsePath(keywords: Set<String>) throws(SyntaxFailure) -> Syntax.Path {
        var elements: [Syntax.PathElement] = [try parsePathName(keywords: keywords)]
        while true {
            if current.isSymbol(".") {
                advance()
                elements.append(try parsePathName(keywords: keywords))
            } else if current.isSymbol("[") {
                advance()
                guard current.kind == .number, let value = Int(current.text) else { throw fail() }
                advance()
                try expectSymbol("]")
                elements.append(.index(value))
            } else {
                return Syntax.Path(elements: elements)
            }
        }
    }

    private mutating func parsePathName(keywords: Set<String>) throws(SyntaxFailure) -> Syntax.PathElement {
        switch current.kind {
        case .identifier where !keywords.contains(current.text.uppercased()):
            defer { advance() }
            return .name(current.text)
        case .nameRef:
            defer { advance() }
            return .placeholder(current.text)
        default:
            throw fail()
        }
    }

    // MARK: Operands

    /// `'(' operand ')' | function '(' operands ')' | :value | path`
    mutating func parseOperand(keywords: Set<String>) throws(SyntaxFailure) -> Syntax.Operand {
        switch current.kind {
        case .symbol where current.text == "(":
            try enter()
            defer { nesting -= 1 }
            advance()
            let inner = try parseOperand(keywords: keywords)
            try expectSymbol(")")
            return .parenthesized(inner)
        case .valueRef:
            defer { advance() }
            return .value(current.text)
        case .identifier where peek().isSymbol("(") && !keywords.contains(current.text.uppercased()):
            let name = current.text
            try enter()
            defer { nesting -= 1 }
            advance()
            advance()
            var arguments = [try parseOperand(keywords: keywords)]
            while current.isSymbol(",") {
                advance()
                arguments.append(try parseOperand(keywords: keywords))
            }
            try expectSymbol(")")
            return .function(name: name, arguments: arguments)
        case .identifier, .nameRef:
            return .path(try parsePath(keywords: keywords))
        default:
            throw fail()
        }
    }
}
