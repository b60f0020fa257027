import NimbusCore
import Testing

@testable import NimbusDynamo

@Suite("AttributeValue")
struct AttributeValueTests {
    private func decode(_ text: String) throws(DynamoError) -> AttributeValue {
        let json: JSON
        do { json = try JSON.parse(Array(text.utf8)) } catch { throw .serialization(error.message) }
        return try AttributeValue(json: json)
    }

    private func encode(_ value: AttributeValue) -> String {
        var writer = JSONWriter()
        writer.write(attribute: value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("every type round-trips", arguments: [
        #"{"S":"héllo \"q\"\n"}"#, #"{"N":"12.5"}"#, #"{"B":"AAEC/w=="}"#, #"{"BOOL":true}"#, #"{"NULL":true}"#,
        #"{"L":[{"S":"a"},{"N":"1"}]}"#, #"{"SS":["a","b"]}"#, #"{"NS":["1","2.5"]}"#, #"{"BS":["AA==","AQ=="]}"#,
        #"{"M":{"k":{"S":"v"}}}"#, #"{"S":""}"#, #"{"L":[]}"#, #"{"M":{}}"#,
    ])
    func roundTrip(text: String) throws {
        let value = try decode(text)
        #expect(try decode(encode(value)) == value)
        #expect(encode(value) == text)
    }

    @Test("numbers come back normalised")
    func normalisedNumbers() throws {
        #expect(encode(try decode(#"{"N":"1.50"}"#)) == #"{"N":"1.5"}"#)
        #expect(encode(try decode(#"{"NS":["1e1","02"]}"#)) == #"{"NS":["10","2"]}"#)
    }

    @Test("invalid values get DynamoDB's messages", arguments: [
        (#"{}"#, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        (#"{"X":"a"}"#, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
        (#"{"S":"a","N":"1"}"#, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"),
        (#"{"NULL":false}"#, "One or more parameter values were invalid: Null attribute value types must have the value of true"),
        (#"{"SS":[]}"#, "One or more parameter values were invalid: An string set  may not be empty"),
        (#"{"NS":[]}"#, "One or more parameter values were invalid: An number set  may not be empty"),
        (#"{"BS":[]}"#, "One or more parameter values were invalid: Binary sets should not be empty"),
        (#"{"SS":["a","a"]}"#, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
        (#"{"NS":["1","1.0"]}"#, "Input collection contains duplicates"),
        (#"{"N":"abc"}"#, "The parameter cannot be converted to a numeric value: abc"),
        (#"{"N":""}"#, "The parameter cannot be converted to a numeric value"),
        (#"{"N":"1E+126"}"#, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        (#"{"NS":["1","x"]}"#, "The parameter cannot be converted to a numeric value: x"),
    ])
    func validation(text: String, message: String) {
        #expect(throws: DynamoError.validation(message)) { try decode(text) }
    }

    @Test("wrong JSON kinds are serialization errors", arguments: [
        (#"{"S":1}"#, "NUMBER_VALUE cannot be converted to String"),
        (#"{"N":1}"#, "NUMBER_VALUE cannot be converted to String"),
        (#"{"BOOL":"true"}"#, "STRING_VALUE cannot be converted to Boolean"),
        (#"{"M":[]}"#, "Start of list found where not expected"),
        (#"{"L":{}}"#, "Start of structure or map found where not expected."),
        (#"{"B":"abc"}"#, "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
        (#"{"B":"ab!="}"#, "'ab!=' can not be converted to a Blob: Invalid Base64 character: '!'"),
    ])
    func serialization(text: String, message: String) {
        #expect(throws: DynamoError.serialization(message)) { try decode(text) }
    }

    /// A string inside `wraps` lists and maps: the string sits at level `wraps + 1`.
    static func nested(_ wraps: Int) -> String {
        let open = (0..<wraps).map { $0 % 2 == 0 ? #"{"L":["# : #"{"M":{"k":"# }.joined()
        let close = (0..<wraps).reversed().map { $0 % 2 == 0 ? "]}" : "}}" }.joined()
        return open + #"{"S":"x"}"# + close
    }

    @Test("values nest at most 32 levels, the attribute itself being level 1", arguments: [31, 32, 40])
    func nesting(wraps: Int) {
        let message = ExpressionTestSupport.message { _ = try decode(Self.nested(wraps)) }
        #expect(message == (wraps < 32 ? nil : "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"))
    }

    @Test("attribute names, map keys included, are 1 to 65,535 bytes", arguments: [
        (0, "Empty attribute name"), (1, nil), (65_535, nil),
        (65_536, "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"),
    ])
    func names(length: Int, refusal: String?) throws {
        let name = String(repeating: "n", count: length)
        let item = try JSON.parse(Array(#"{"\#(name)":{"S":"x"}}"#.utf8))
        #expect(ExpressionTestSupport.message { _ = try AttributeValue.item(json: item) } == refusal)
        #expect(ExpressionTestSupport.message { _ = try decode(#"{"M":{"\#(name)":{"S":"x"}}}"#) } == refusal)
        #expect(ExpressionTestSupport.message { try ItemShape.check([name: .s("x")]) } == refusal)
    }

    @Test("an item built by an update is held to the same shape")
    func builtItems() {
        var deep = AttributeValue.s("x")
        for _ in 0..<31 { deep = .l([deep]) }
        #expect(ExpressionTestSupport.message { try ItemShape.check(["a": deep]) } == nil)
        #expect(ExpressionTestSupport.message { try ItemShape.check(["a": .l([deep])]) }?.hasPrefix("Nesting Levels have exceeded") == true)
        #expect(ExpressionTestSupport.message { try ItemShape.check(["a": .m(["": .s("x")])]) } == "Empty attribute name")
    }


    @Test("sets compare as sets, strings by bytes")
    func equality() {
        #expect(AttributeValue.ss(["a", "b"]) == .ss(["b", "a"]))
        #expect(AttributeValue.ns([DynamoNumber(1), DynamoNumber(2)]) == .ns([DynamoNumber(2), DynamoNumber(1)]))
        #expect(AttributeValue.l([.s("a"), .s("b")]) != .l([.s("b"), .s("a")]))
        // Precomposed and decomposed é are different bytes, so different DynamoDB strings.
        #expect(AttributeValue.s("\u{E9}") != .s("e\u{301}"))
        #expect(AttributeValue.n(DynamoNumber(1)) != .s("1"))
    }

    @Test("item size follows DynamoDB's accounting")
    func sizes() throws {
        #expect(AttributeValue.s("abc").size == 3)
        #expect(AttributeValue.bool(true).size == 1)
        #expect(AttributeValue.null.size == 1)
        #expect(AttributeValue.b([1, 2, 3, 4]).size == 4)
        #expect(AttributeValue.n(try DynamoNumber(parsing: "123")).size == 3)
        #expect(AttributeValue.l([.s("ab")]).size == 3 + 2 + 1)
        #expect(AttributeValue.m(["k": .s("ab")]).size == 3 + 1 + 2 + 1)
        #expect(AttributeValue.size(of: ["name": .s("value")]) == 9)
    }

    @Test("base64 round-trips all lengths")
    func base64() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 11) % 256) }
            #expect((try? Base64.decode(Base64.encode(bytes)).get()) == bytes)
        }
    }
}

/// The parser itself is tested in NimbusCoreTests (`JSONParserTests`); these cover DynamoDB's tree and writer.
@Suite("JSON")
struct JSONTests {
    @Test("parses and writes documents", arguments: [
        #"{"a":[1,-2.5e3,true,false,null,"x"]}"#, #"[]"#, #"{}"#, #""\u00e9\ud83d\ude00""#, #"0"#,
    ])
    func roundTrip(text: String) throws {
        let parsed = try JSON.parse(Array(text.utf8))
        #expect(try JSON.parse(JSONWriter.serialize(parsed)) == parsed)
    }

    @Test("keeps number literals exact", arguments: ["123456789012345678901234567890", "1.000000000000000000000000000000000001"])
    func numbers(text: String) throws {
        #expect(try JSON.parse(Array(text.utf8)) == .number(text))
        #expect(JSONWriter.serialize(try JSON.parse(Array(text.utf8))) == Array(text.utf8))
    }

    @Test("escapes control characters on output")
    func writerEscapes() {
        #expect(String(decoding: JSONWriter.serialize(.string("a\u{01}\"\\\n")), as: UTF8.self) == #""a\u0001\"\\\n""#)
    }
}
