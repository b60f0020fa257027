/// A token of DynamoDB's expression languages, with its byte range in the source for error messages.
struct ExpressionToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier  // attribute names, keywords and function names
        case nameRef  // #name
        case valueRef  // :value
        case number  // list index digits
        case symbol  // ( ) [ ] , . = <> < <= > >= + -
        case unknown  // any other character: always a syntax error
        case end
    }

    var kind: Kind
    var text: String
    var start: Int
    var end: Int

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }

    /// Case-insensitive keyword match (`SET`, `and`, `Between`…).
    func isKeyword(_ keyword: String) -> Bool {
        kind == .identifier && text.utf8.count == keyword.utf8.count && text.uppercased() == keyword
    }
}

/// Splits an expression into tokens; never fails (stray characters become `.unknown` tokens so the
/// parser reports them with DynamoDB's "Syntax error; token: …, near: …").
enum ExpressionLexer {
    static func tokenize(_ bytes: [UInt8]) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        var i = 0
        func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                i += 1
                continue
            }
            let start = i
            if isIdentifierStart(c) {
                while i < bytes.count, isIdentifierPart(bytes[i]) { i += 1 }
                tokens.append(ExpressionToken(kind: .identifier, text: text(start, i), start: start, end: i))
            } else if isDigit(c) {
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
                tokens.append(ExpressionToken(kind: .number, text: text(start, i), start: start, end: i))
            } else if (c == UInt8(ascii: "#") || c == UInt8(ascii: ":")), i + 1 < bytes.count, isIdentifierPart(bytes[i + 1]) {
                i += 1
                while i < bytes.count, isIdentifierPart(bytes[i]) { i += 1 }
                tokens.append(ExpressionToken(kind: c == UInt8(ascii: "#") ? .nameRef : .valueRef, text: text(start, i), start: start, end: i))
            } else if let symbol = symbol(bytes, at: i) {
                i += symbol.utf8.count
                tokens.append(ExpressionToken(kind: .symbol, text: symbol, start: start, end: i))
            } else {
                // One whole UTF-8 scalar.
                i += 1
                while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
                tokens.append(ExpressionToken(kind: .unknown, text: text(start, i), start: start, end: i))
            }
        }
        tokens.append(ExpressionToken(kind: .end, text: "<EOF>", start: bytes.count, end: bytes.count))
        return tokens
    }

    private static func symbol(_ bytes: [UInt8], at i: Int) -> String? {
        let c = bytes[i]
        let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
        switch c {
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: ">") { return "<>" }
            if next == UInt8(ascii: "=") { return "<=" }
            return "<"
        case UInt8(ascii: ">"):
            return next == UInt8(ascii: "=") ? ">=" : ">"
        case UInt8(ascii: "("): return "("
        case UInt8(ascii: ")"): return ")"
        case UInt8(ascii: "["): return "["
        case UInt8(ascii: "]"): return "]"
        case UInt8(ascii: ","): return ","
        case UInt8(ascii: "."): return "."
        case UInt8(ascii: "="): return "="
        case UInt8(ascii: "+"): return "+"
        case UInt8(ascii: "-"): return "-"
        default: return nil
        }
    }

    static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}
