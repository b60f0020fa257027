extension XMLReader {
    /// Parses a configuration document whose root must be `root`; anything else is MalformedXML.
    static func document(_ body: [UInt8], root: String) throws(S3Error) -> XMLTree {
        let tree: XMLTree
        do {
            tree = try parse(body)
        } catch {
            throw S3Error.malformedXML
        }
        guard tree.name == root else { throw S3Error.malformedXML }
        return tree
    }

    /// A configuration document as the client wrote it, for returning it unchanged: without a
    /// byte-order mark, leading whitespace or XML declaration (S3 adds its own).
    static func documentWithoutDeclaration(_ body: [UInt8]) -> String {
        var text = Substring(String(decoding: body, as: UTF8.self))
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        text = text.drop { $0.isWhitespace }
        if text.hasPrefix("<?"), let end = text.range(of: "?>") {
            text = text[end.upperBound...].drop { $0.isWhitespace }
        }
        return String(text)
    }
}
