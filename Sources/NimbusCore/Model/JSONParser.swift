/// A document tree `JSONParser` can build. Enum cases of the same names satisfy every requirement
/// but `number(literal:)`, which lets each tree decide what a number is: `JSONValue` turns it into
/// a `Double`, DynamoDB's tree keeps the text so 38-digit decimals are never rounded.
public protocol JSONTree {
    static var null: Self { get }
    static func bool(_ value: Bool) -> Self
    /// `literal` has already matched JSON's number grammar.
    static func number(literal: String) -> Self
    static func string(_ value: String) -> Self
    static func array(_ elements: [Self]) -> Self
    static func object(_ members: [String: Self]) -> Self
}

extension JSONTree {
    /// Parses `bytes` strictly (see ``JSONParser``).
    @inlinable
    public static func parse(_ bytes: some Sequence<UInt8>) throws(JSONParser.Failure) -> Self {
        try JSONParser.parse(bytes)
    }
}

/// A strict JSON (RFC 8259) reader over raw bytes into any ``JSONTree``. Hand-written because
/// Foundation's `JSONSerialization` builds bridged objects, costs several times more on Linux and
/// rounds numbers through `Double`. Inlinable so every module gets a copy specialised for its tree
/// (DynamoDB parses each request body with it); the small helpers are always inlined, as calls
/// back into this module would cost that copy a few percent.
public struct JSONParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var offset: Int
        /// Worded like Jackson's (DynamoDB's own parser): DynamoDB clients see it in a `SerializationException`.
        public var reason: String
        public var message: String { "\(reason) at offset \(offset)" }
        public var description: String { message }
    }

    /// Containers nested beyond this are refused rather than risking the stack.
    @inlinable public static var maximumDepth: Int { 512 }

    @usableFromInline let buffer: UnsafeBufferPointer<UInt8>
    @usableFromInline var position = 0

    @usableFromInline init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// Any JSON value at the top level (fragments included), surrounded by optional whitespace.
    @inlinable
    public static func parse<Tree: JSONTree>(_ bytes: some Sequence<UInt8>) throws(Failure) -> Tree {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(Failure) -> Tree in try parse(buffer: buffer) }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBufferPointer { (buffer) throws(Failure) -> Tree in try parse(buffer: buffer) }
    }

    @inlinable
    static func parse<Tree: JSONTree>(buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> Tree {
        var parser = JSONParser(buffer: buffer)
        parser.skipWhitespace()
        let value: Tree = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == buffer.count else { throw parser.failure("Unexpected character after the JSON document") }
        return value
    }

    /// `depth` counts the containers around the value.
    @inlinable
    mutating func value<Tree: JSONTree>(depth: Int) throws(Failure) -> Tree {
        guard position < buffer.count else { throw failure("Unexpected end of input") }
        switch buffer[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(literal: try number())
        default: throw failure("Unexpected character '\(Character(Unicode.Scalar(buffer[position])))'")
        }
    }

    @inlinable
    mutating func object<Tree: JSONTree>(depth: Int) throws(Failure) -> Tree {
        try open(depth: depth)
        var members: [String: Tree] = [:]
        if peek(UInt8(ascii: "}")) {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("Expected a field name") }
            let key = try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw failure("Expected ':'") }
            position += 1
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            if try nextMember(closedBy: UInt8(ascii: "}")) { return .object(members) }
        }
    }

    @inlinable
    mutating func array<Tree: JSONTree>(depth: Int) throws(Failure) -> Tree {
        try open(depth: depth)
        var elements: [Tree] = []
        if peek(UInt8(ascii: "]")) {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            if try nextMember(closedBy: UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// Steps into a container at `depth`, up to its first member or closing bracket.
    @inlinable @inline(__always)
    mutating func open(depth: Int) throws(Failure) {
        guard depth < Self.maximumDepth else { throw failure("JSON nested too deeply") }
        position += 1
        skipWhitespace()
    }

    /// After a member: consumes the separating comma (false) or the container's `close` (true).
    @inlinable @inline(__always)
    mutating func nextMember(closedBy close: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard position < buffer.count else { throw failure("Unexpected end of input") }
        let byte = buffer[position]
        guard byte == UInt8(ascii: ",") || byte == close else {
            throw failure("Expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
        position += 1
        return byte == close
    }

    @inlinable
    mutating func string() throws(Failure) -> String {
        position += 1
        let start = position
        var isASCII = true
        // Fast path: no escapes, so the bytes are the string.
        while position < buffer.count {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") {
                let text = try decode(UnsafeBufferPointer(rebasing: buffer[start..<position]), isASCII: isASCII)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            // One comparison for both rare cases: below 0x20 wraps past 0x60.
            if byte &- 0x20 >= 0x60 {
                guard byte >= 0x20 else { throw failure("Illegal unquoted control character in string") }
                isASCII = false
            }
            position += 1
        }
        var decoded = Array(UnsafeBufferPointer(rebasing: buffer[start..<position]))
        while position < buffer.count {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return try decoded.withUnsafeBufferPointer { (bytes) throws(Failure) in try decode(bytes, isASCII: false) }
            }
            if byte == UInt8(ascii: "\\") {
                try escape(into: &decoded)
            } else {
                guard byte >= 0x20 else { throw failure("Illegal unquoted control character in string") }
                decoded.append(byte)
                position += 1
            }
        }
        throw failure("Unexpected end of input in string")
    }

    /// `bytes` as a string, refusing invalid UTF-8. Decoding repairs invalid sequences with U+FFFD,
    /// so the valid input is the one that comes back unchanged. (`String(validating:)` says so
    /// directly, but through unspecialised generic code that costs more than the rest of the parse.)
    @inlinable
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) throws(Failure) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard isASCII || text.utf8.elementsEqual(bytes) else { throw failure("Invalid UTF-8 in string") }
        return text
    }

    @usableFromInline
    mutating func escape(into decoded: inout [UInt8]) throws(Failure) {
        position += 1
        guard position < buffer.count else { throw failure("Unexpected end of input in string") }
        let byte = buffer[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar), position + 1 < buffer.count,
                buffer[position] == UInt8(ascii: "\\"), buffer[position + 1] == UInt8(ascii: "u")
            {
                let save = position
                position += 2
                let low = try hexQuad()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save  // the next escape stands on its own
                }
            }
            // A lone surrogate becomes U+FFFD, as most JSON readers do.
            UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { decoded.append($0) }
        default:
            throw failure("Unrecognized character escape")
        }
    }

    @usableFromInline
    mutating func hexQuad() throws(Failure) -> UInt32 {
        guard position + 4 <= buffer.count else { throw failure("Unexpected end of input") }
        var value: UInt32 = 0
        for byte in buffer[position..<position + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("Invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    /// The literal text of `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inlinable
    mutating func number() throws(Failure) -> String {
        let start = position
        if peek(UInt8(ascii: "-")) { position += 1 }
        if peek(UInt8(ascii: "0")) {
            position += 1
            guard digits() == 0 else { throw failure("Invalid number") }  // no leading zeros
        } else {
            guard digits() > 0 else { throw failure("Invalid number") }
        }
        if peek(UInt8(ascii: ".")) {
            position += 1
            guard digits() > 0 else { throw failure("Invalid number") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard digits() > 0 else { throw failure("Invalid number") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self)
    }

    /// Skips a run of digits and says how long it was.
    @inlinable
    mutating func digits() -> Int {
        let start = position
        while position < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[position]) { position += 1 }
        return position - start
    }

    @inlinable
    mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard position + count <= buffer.count else { throw failure("Unexpected end of input") }
        guard UnsafeBufferPointer(rebasing: buffer[position..<position + count]).elementsEqual(
            UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw failure("Unrecognized token") }
        position += count
    }

    @inlinable @inline(__always)
    func peek(_ byte: UInt8) -> Bool {
        position < buffer.count && buffer[position] == byte
    }

    @inlinable @inline(__always)
    mutating func skipWhitespace() {
        while position < buffer.count {
            switch buffer[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    @usableFromInline
    func failure(_ reason: String) -> Failure {
        Failure(offset: position, reason: reason)
    }
}
