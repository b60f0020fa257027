/// A token of DynamoDB's PartiQL dialect. `text` is the unescaped content for strings and quoted
/// names, and the source text otherwise.
struct PartiQLToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case word  // keywords, function names and unquoted names
        case quotedName  // "name"
        case string  // 'text'
        case number  // 12, 1.5, 1e3
        case parameter  // ?
        case symbol  // ( ) [ ] { } , . : ; * = <> != < <= > >= + - << >>
        case end
    }

    var kind: Kind
    var text: String

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

    /// Case-insensitive keyword match (`SELECT`, `where`, `Between`…).
    func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.utf8.count == keyword.utf8.count && text.uppercased() == keyword
    }
}

/// Splits a statement into tokens, skipping whitespace and `--` / `/* */` comments.
enum PartiQLLexer {
    static func tokenize(_ statement: String) throws(DynamoError) -> [PartiQLToken] {
        let bytes = Array(statement.utf8)
        var tokens: [PartiQLToken] = []
        var i = 0
        func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }
        func at(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                i += 1
            } else if c == UInt8(ascii: "-"), at(1) == UInt8(ascii: "-") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else if c == UInt8(ascii: "/"), at(1) == UInt8(ascii: "*") {
                i += 2
                while i < bytes.count, !(bytes[i] == UInt8(ascii: "*") && at(1) == UInt8(ascii: "/")) { i += 1 }
                guard i < bytes.count else { throw .malformedStatement("Unterminated comment") }
                i += 2
            } else if ExpressionLexer.isIdentifierStart(c) {
                let start = i
                while i < bytes.count, ExpressionLexer.isIdentifierPart(bytes[i]) || bytes[i] == UInt8(ascii: "$") { i += 1 }
                tokens.append(PartiQLToken(kind: .word, text: text(start, i)))
            } else if ExpressionLexer.isDigit(c) || (c == UInt8(ascii: ".") && at(1).map(ExpressionLexer.isDigit) == true) {
                tokens.append(PartiQLToken(kind: .number, text: number(bytes, &i)))
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                let content = try quoted(bytes, &i, quote: c)
                tokens.append(PartiQLToken(kind: c == UInt8(ascii: "'") ? .string : .quotedName, text: content))
            } else if c == UInt8(ascii: "?") {
                i += 1
                tokens.append(PartiQLToken(kind: .parameter, text: "?"))
            } else if let symbol = symbol(bytes, at: i) {
                i += symbol.utf8.count
                tokens.append(PartiQLToken(kind: .symbol, text: symbol))
            } else {
                throw .malformedStatement("Unexpected character")
            }
        }
        tokens.append(PartiQLToken(kind: .end, text: ""))
        return tokens
    }

    /// Digits with an optional fraction and exponent; the parser checks DynamoDB's number rules.
    private static func number(_ bytes: [UInt8], _ i: inout Int) -> String {
        let start = i
        while i < bytes.count, ExpressionLexer.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            if j < bytes.count, ExpressionLexer.isDigit(bytes[j]) {
                i = j
                while i < bytes.count, ExpressionLexer.isDigit(bytes[i]) { i += 1 }
            }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// A quoted string or name; the quote character is escaped by doubling it.
    private static func quoted(_ bytes: [UInt8], _ i: inout Int, quote: UInt8) throws(DynamoError) -> String {
        var content: [UInt8] = []
        i += 1
        while i < bytes.count {
            if bytes[i] == quote {
                if i + 1 < bytes.count, bytes[i + 1] == quote {
                    content.append(quote)
                    i += 2
                    continue
                }
                i += 1
                return String(decoding: content, as: UTF8.self)
            }
            content.append(bytes[i])
            i += 1
        }
        throw .malformedStatement(quote == UInt8(ascii: "'") ? "Unterminated string literal" : "Unterminated quoted identifier")
    }

    private static func symbol(_ bytes: [UInt8], at i: Int) -> String? {
        let c = bytes[i]
        let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
        switch c {
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: ">") { return "<>" }
            if next == UInt8(ascii: "=") { return "<=" }
            if next == UInt8(ascii: "<") { return "<<" }
            return "<"
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { return ">=" }
            if next == UInt8(ascii: ">") { return ">>" }
            return ">"
        case UInt8(ascii: "!"):
            return next == UInt8(ascii: "=") ? "!=" : nil
        default:
            let single: Set<UInt8> = Set("()[]{},.:;*=+-".utf8)
            return single.contains(c) ? String(UnicodeScalar(c)) : nil
        }
    }
}
