import Foundation
import NimbusCore
import Testing

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

    @Test func aLoneSurrogateBecomesTheReplacementCharacter() throws {
        #expect(try JSONValue.parse(Array(#""a\ud800b""#.utf8)) == .string("a\u{FFFD}b"))
    }

    @Test(arguments: [
        "", "   ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "\"unterminated", "\"bad \\x escape\"",
        "\"short \\u12\"", "\"tab\tinside\"", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "NaN", "Infinity",
        "{} {}", "[] x", "'single'",
    ])
    func refusesMalformedInput(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func refusesNestingBeyondTheLimitWithoutCrashing() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try JSONValue.parse(Array(fine.utf8))
    }

    @Test func failuresSayWhereAndWhy() {
        do {
            _ = try JSONValue.parse(Array("[1, 2,, 3]".utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.offset == 6)
            #expect(error.description == "unexpected character at byte 6")
        }
    }
}
