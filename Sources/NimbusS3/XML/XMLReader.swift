/// A small, strict XML parser for S3 request bodies.
///
/// It accepts the declaration, comments, processing instructions, CDATA, attributes (ignored),
/// the five predefined entities and character references, and rejects anything malformed, so a bad
/// body becomes `MalformedXML` instead of a guess. DTDs are refused: no entity expansion attacks.
struct XMLReader {
    struct Failure: Error, Equatable {
        var reason: String
    }

    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> XMLTree {
        var reader = XMLReader(bytes: Array(bytes))
        return try reader.document()
    }

    static func parse(_ string: String) throws(Failure) -> XMLTree {
        try parse(Array(string.utf8))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func document() throws(Failure) -> XMLTree {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        try skipMisc()
        guard peek() == UInt8(ascii: "<") else { throw Failure(reason: "expected root element") }
        let root = try element(depth: 0)
        try skipMisc()
        guard index == bytes.count else { throw Failure(reason: "content after root element") }
        return root
    }

    /// Whitespace, comments and processing instructions (incl. `<?xml …?>`) between elements.
    private mutating func skipMisc() throws(Failure) {
        while index < bytes.count {
            if isSpace(bytes[index]) {
                index += 1
            } else if startsWith("<?") {
                try skip(past: "?>")
            } else if startsWith("<!--") {
                try skip(past: "-->")
            } else if startsWith("<!") {
                throw Failure(reason: "DTDs are not allowed")
            } else {
                return
            }
        }
    }

    private mutating func element(depth: Int) throws(Failure) -> XMLTree {
        guard depth < 64 else { throw Failure(reason: "nesting too deep") }
        index += 1  // <
        let qualified = name()
        guard !qualified.isEmpty else { throw Failure(reason: "missing element name") }
        var node = XMLTree(name: localName(qualified))
        // Attributes: validated for shape, then ignored (S3 bodies carry only xmlns).
        while true {
            skipSpaces()
            guard let byte = peek() else { throw Failure(reason: "unterminated start tag") }
            if byte == UInt8(ascii: "/") {
                guard startsWith("/>") else { throw Failure(reason: "bad empty-element tag") }
                index += 2
                return node
            }
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            guard !name().isEmpty else { throw Failure(reason: "bad attribute") }
            skipSpaces()
            guard peek() == UInt8(ascii: "=") else { throw Failure(reason: "attribute without value") }
            index += 1
            skipSpaces()
            guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw Failure(reason: "unquoted attribute value")
            }
            index += 1
            while let byte = peek(), byte != quote { index += 1 }
            guard peek() == quote else { throw Failure(reason: "unterminated attribute value") }
            index += 1
        }
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw Failure(reason: "unterminated element \(qualified)") }
            if byte == UInt8(ascii: "<") {
                if startsWith("</") {
                    index += 2
                    let closing = name()
                    guard closing == qualified else { throw Failure(reason: "mismatched end tag \(closing)") }
                    skipSpaces()
                    guard peek() == UInt8(ascii: ">") else { throw Failure(reason: "bad end tag") }
                    index += 1
                    guard let decoded = String(validating: text, as: UTF8.self) else {
                        throw Failure(reason: "invalid UTF-8")
                    }
                    node.text = decoded
                    return node
                } else if startsWith("<!--") {
                    try skip(past: "-->")
                } else if startsWith("<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    text.append(contentsOf: bytes[start..<(index - 3)])
                } else if startsWith("<?") {
                    try skip(past: "?>")
                } else if startsWith("<!") {
                    throw Failure(reason: "DTDs are not allowed")
                } else {
                    node.children.append(try element(depth: depth + 1))
                }
            } else if byte == UInt8(ascii: "&") {
                try entity(into: &text)
            } else {
                text.append(byte)
                index += 1
            }
        }
    }

    private mutating func entity(into text: inout [UInt8]) throws(Failure) {
        index += 1
        let start = index
        while let byte = peek(), byte != UInt8(ascii: ";"), index - start < 12 { index += 1 }
        guard peek() == UInt8(ascii: ";") else { throw Failure(reason: "unterminated entity") }
        let name = bytes[start..<index]
        index += 1
        switch String(decoding: name, as: UTF8.self) {
        case "lt": text.append(UInt8(ascii: "<"))
        case "gt": text.append(UInt8(ascii: ">"))
        case "amp": text.append(UInt8(ascii: "&"))
        case "quot": text.append(UInt8(ascii: "\""))
        case "apos": text.append(UInt8(ascii: "'"))
        case let reference where reference.hasPrefix("#"):
            let digits = reference.dropFirst()
            let value: UInt32? =
                digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else {
                throw Failure(reason: "bad character reference")
            }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw Failure(reason: "unknown entity &\(String(decoding: name, as: UTF8.self));")
        }
    }

    private mutating func name() -> String {
        let start = index
        while let byte = peek(), !isSpace(byte), byte != UInt8(ascii: ">"), byte != UInt8(ascii: "/"),
            byte != UInt8(ascii: "="), byte != UInt8(ascii: "<")
        {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func localName(_ qualified: String) -> String {
        if let colon = qualified.lastIndex(of: ":") {
            return String(qualified[qualified.index(after: colon)...])
        }
        return qualified
    }

    private mutating func skip(past terminator: String) throws(Failure) {
        let pattern = Array(terminator.utf8)
        while index < bytes.count {
            if bytes[index] == pattern[0] && startsWith(pattern) {
                index += pattern.count
                return
            }
            index += 1
        }
        throw Failure(reason: "missing \(terminator)")
    }

    private mutating func skipSpaces() {
        while let byte = peek(), isSpace(byte) { index += 1 }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func startsWith(_ string: String) -> Bool {
        startsWith(Array(string.utf8))
    }

    private func startsWith(_ pattern: [UInt8]) -> Bool {
        guard bytes.count - index >= pattern.count else { return false }
        for offset in 0..<pattern.count where bytes[index + offset] != pattern[offset] { return false }
        return true
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
