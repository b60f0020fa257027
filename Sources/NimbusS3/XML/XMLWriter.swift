import Hummingbird

/// Builds the small XML documents S3 answers with. Appends to one string: no DOM, no Foundation
/// formatter, because listings are on the hot path.
struct XMLWriter {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    private(set) var text: String

    init() {
        text = #"<?xml version="1.0" encoding="UTF-8"?>"#
        text.reserveCapacity(512)
    }

    /// Opens the document's root element, declaring S3's namespace as AWS does.
    mutating func openRoot(_ name: String) {
        text += "<\(name) xmlns=\"\(Self.namespace)\">"
    }

    mutating func open(_ name: String) {
        text += "<\(name)>"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>"
    }

    mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>"
        Self.appendEscaped(value, to: &text)
        text += "</\(name)>"
    }

    mutating func element(_ name: String, _ value: some BinaryInteger) {
        text += "<\(name)>\(value)</\(name)>"
    }

    mutating func element(_ name: String, _ value: Bool) {
        text += "<\(name)>\(value ? "true" : "false")</\(name)>"
    }

    /// Writes `<name>` only when there is a value, the way S3 omits absent optional fields.
    mutating func optional(_ name: String, _ value: String?) {
        if let value { element(name, value) }
    }

    /// Raw, already well-formed XML (a stored configuration document, minus its declaration).
    mutating func raw(_ xml: String) {
        text += xml
    }

    mutating func block(_ name: String, _ body: (inout XMLWriter) -> Void) {
        open(name)
        body(&self)
        close(name)
    }

    var buffer: ByteBuffer { ByteBuffer(string: text) }

    /// Escapes markup characters and characters XML 1.0 cannot carry literally.
    static func appendEscaped(_ value: String, to text: inout String) {
        let needsEscaping = value.utf8.contains { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte < 0x20
        }
        guard needsEscaping else {
            text += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "'": text += "&apos;"
            case "\t", "\n": text.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 {
                    text += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
    }

    static func escaped(_ value: String) -> String {
        var text = ""
        appendEscaped(value, to: &text)
        return text
    }
}
