import Foundation
import Testing

@testable import NimbusGateway

/// The events' serialiser must produce what a JSON parser reads back as the same value.
struct EventJSONTests {
    @Test(arguments: ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1f} control", "ünïcødé ✓ 🚀", "/slash/", ""])
    func stringsRoundTrip(_ text: String) throws {
        let data = EventJSON.data(["k": text] as [String: Any])
        let parsed = try #require(JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(parsed == ["k": text])
    }

    @Test func nestedValuesRoundTrip() throws {
        let value: [String: Any] = [
            "null": NSNull(), "true": true, "false": false, "int": 42, "int64": Int64(1_700_000_000_000),
            "headers": ["a": "b"], "multi": ["x": ["1", "2"]], "list": ["p", "q"],
            "nested": ["deeper": ["n": -7] as [String: Any]] as [String: Any],
        ]
        let parsed = try #require(JSONSerialization.jsonObject(with: EventJSON.data(value)) as? [String: Any])
        #expect(parsed["null"] is NSNull)
        #expect(parsed["true"] as? Bool == true)
        #expect(parsed["false"] as? Bool == false)
        #expect(parsed["int"] as? Int == 42)
        #expect((parsed["int64"] as? NSNumber)?.int64Value == 1_700_000_000_000)
        #expect(parsed["headers"] as? [String: String] == ["a": "b"])
        #expect(parsed["multi"] as? [String: [String]] == ["x": ["1", "2"]])
        #expect(parsed["list"] as? [String] == ["p", "q"])
        #expect(((parsed["nested"] as? [String: Any])?["deeper"] as? [String: Any])?["n"] as? Int == -7)
    }
}
