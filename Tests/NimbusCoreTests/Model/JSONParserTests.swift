import Foundation
import NimbusCore
import Testing

/// A tree that keeps numbers as their literal text, as DynamoDB's does.
private enum TextTree: JSONTree, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([TextTree])
    case object([String: TextTree])

    static func number(literal: String) -> TextTree { .number(literal) }
}

struct JSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let text = #" { "s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude80", "n": -12.5e2, "z": 0, "i": 42, "t": true, "f": false, "x": null, "a": [1, [], {}], "o": {"k": "v"} } "#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value == .object([
            "s": .string("a\"b\\c/d\n\té🚀"), "n": .number(-1250), "z": .number(0), "i": .number(42),
            "t": .bool(true), "f": .bool(false), "x": .null,
            "a": .array([.number(1), .array([]), .object([:])]), "o": .object(["k": .string("v")]),
        ]))
    }

    @Test(arguments: [#""text""#, "3.25", "-0", "true", "null", " [ ] "])
    func acceptsFragmentsAtTopLevel(_ text: String) throws {
        _ = try JSONValue.parse(Array(text.utf8))
    }

    @Test func agreesWithFoundationOnAnAPIGatewayEvent() throws {
        let event = #"{"resource":"/echo","headers":{"Host":"localhost","X-Forwarded-For":"127.0.0.1"},"multiValueHeaders":{"Accept":["*/*"]},"queryStringParameters":null,"requestContext":{"requestTimeEpoch":1700000000123,"identity":{"sourceIp":"127.0.0.1","userAgent":null}},"body":"{\"message\":\"h\u00e9llo\"}","isBase64Encoded":false}"#
        let ours = try JSONValue.parse(Array(event.utf8))
        let theirs = try JSONDecoder().decode(JSONValue.self, from: Data(event.utf8))
        #expect(ours == theirs)
    }

    @Test func readsDataAndOtherSequences() throws {
        #expect(try JSONValue.parse(Data(#"{"a":[1]}"#.utf8)) == ["a": .array([.number(1)])])
        #expect(try JSONValue.parse(#"[true]"#.utf8.lazy.map { $0 }) == .array([.bool(true)]))
    }

    @Test(arguments: [
        "123456789012345678901234567890", "1.000000000000000000000000000000000001", "-0.0", "1E+126", "2e-3", "-0",
    ])
    func numbersReachTheTreeAsTheirExactText(_ text: String) throws {
        #expect(try TextTree.parse(Array(text.utf8)) == .number(text))
        #expect(try TextTree.parse(Array("[\(text)]".utf8)) == .array([.number(text)]))
    }

    @Test(arguments: [
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00 \uD83D\uDE00""#, "😀 😀"),
        (#""a\ud800b""#, "a\u{FFFD}b"),  // a lone high surrogate
        (#""a\udc00b""#, "a\u{FFFD}b"),  // a lone low surrogate
        (#""\ud800""#, "\u{FFFD}"),  // a high surrogate at the end
        (#""\ud800\u0041""#, "\u{FFFD}A"),  // a high surrogate before an escape that is not a low one
        (#""\ud800\ud83d\ude00""#, "\u{FFFD}😀"),
        ("\"\u{7F}é\"", "\u{7F}é"),  // DEL and raw UTF-8 need no escape
    ])
    func decodesUnicodeEscapes(_ text: String, expected: String) throws {
        #expect(try JSONValue.parse(Array(text.utf8)) == .string(expected))
    }

    @Test(arguments: [
        "", "   ", "{", "[1,]", "{\"a\":1,}", "{\"a\":}", "{\"a\" 1}", "{a:1}", "[1 2]", "\"unterminated", "\"bad \\x escape\"",
        "\"short \\u12\"", "\"\\u12G4\"", "\"ends in \\", "\"tab\tinside\"", "\"\u{01}\"", "\"nul\u{0}\"", "01", "-01", "01x",
        "1.", ".5", "-", "1e", "1e+", "+1", "tru", "nul", "trux", "NaN", "Infinity", "{} {}", "[] x", "1 2", "'single'",
    ])
    func refusesMalformedInput(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test(arguments: [[0x22, 0xFF, 0xFE, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xF0, 0x90, 0x80, 0x41, 0x22], [0x22, 0x5C, 0x6E, 0xE9, 0x22]])
    func refusesInvalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(bytes) }
    }

    @Test func refusesNestingBeyondTheLimitWithoutCrashing() throws {
        func nested(_ depth: Int) -> [UInt8] {
            Array((String(repeating: #"{"a":["#, count: depth / 2) + "1" + String(repeating: "]}", count: depth / 2)).utf8)
        }
        _ = try JSONValue.parse(nested(JSONParser.maximumDepth))
        let tooDeep = #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(nested(JSONParser.maximumDepth + 2)) }
        // The container one too deep opens after maximumDepth / 2 six-byte `{"a":[`.
        #expect(tooDeep?.message == "JSON nested too deeply at offset \(6 * JSONParser.maximumDepth / 2)")
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(Array(deep.utf8)) }
    }

    /// DynamoDB clients see these in a `SerializationException`.
    @Test(arguments: [
        ("[1, 2,, 3]", "Unexpected character ',' at offset 6"),
        ("", "Unexpected end of input at offset 0"),
        ("[1 2]", "Expected ',' or ']' at offset 3"),
        (#"{"a":1 "b":2}"#, "Expected ',' or '}' at offset 7"),
        ("{1:2}", "Expected a field name at offset 1"),
        (#"{"a" 1}"#, "Expected ':' at offset 5"),
        ("{} {}", "Unexpected character after the JSON document at offset 3"),
        ("tru", "Unexpected end of input at offset 0"),
        ("trux", "Unrecognized token at offset 0"),
        ("1.x", "Invalid number at offset 2"),
        ("\"a\tb\"", "Illegal unquoted control character in string at offset 2"),
        (#""a\qb""#, "Unrecognized character escape at offset 4"),
        (#""\u00G0""#, "Invalid \\u escape at offset 3"),
        (#""abc"#, "Unexpected end of input in string at offset 4"),
    ])
    func failuresSayWhereAndWhy(_ text: String, message: String) {
        do {
            _ = try JSONValue.parse(Array(text.utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.message == message)
            #expect(error.description == message)
        }
    }
}
