import Foundation
import NimbusCore
import Testing

@testable import NimbusGateway

/// The events' serialiser must produce what a JSON parser reads back as the same value.
struct EventJSONTests {
    @Test(arguments: ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1f} control", "ünïcødé ✓ 🚀", "/slash/", ""])
    func stringsRoundTrip(_ text: String) throws {
        let data = EventJSON.data(["k": .string(text)])
        let parsed = try #require(JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(parsed == ["k": text])
    }

    @Test func nestedValuesRoundTrip() throws {
        let value: JSONValue = [
            "null": .null, "true": true, "false": false, "int": .number(42), "epoch": .number(1_700_000_000_123),
            "fraction": .number(-2.5), "infinite": .number(.infinity),
            "headers": ["a": "b"], "multi": ["x": .array(["1", "2"])], "list": .array(["p", "q"]), "empty": .array([]),
            "nested": ["deeper": ["n": .number(-7)]],
        ]
        let data = EventJSON.data(value)
        #expect(!String(decoding: data, as: UTF8.self).contains("1700000000123.0"))
        let parsed = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(parsed["null"] is NSNull)
        #expect(parsed["true"] as? Bool == true)
        #expect(parsed["false"] as? Bool == false)
        #expect(parsed["int"] as? Int == 42)
        #expect((parsed["epoch"] as? NSNumber)?.int64Value == 1_700_000_000_123)
        #expect(parsed["fraction"] as? Double == -2.5)
        #expect(parsed["infinite"] is NSNull)
        #expect(parsed["headers"] as? [String: String] == ["a": "b"])
        #expect(parsed["multi"] as? [String: [String]] == ["x": ["1", "2"]])
        #expect(parsed["list"] as? [String] == ["p", "q"])
        #expect(parsed["empty"] as? [String] == [])
        #expect(((parsed["nested"] as? [String: Any])?["deeper"] as? [String: Any])?["n"] as? Int == -7)
    }
}
