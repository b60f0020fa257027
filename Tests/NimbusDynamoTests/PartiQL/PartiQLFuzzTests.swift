import NimbusCore
import Testing

@testable import NimbusDynamo

/// Seeded fuzzing of PartiQL: random token sequences, random bytes and deep nesting go through
/// parse and plan. Each may be refused with a ValidationException (or ResourceNotFound for an
/// unknown table); none may trap, since a trap takes the whole server down.
@Suite("PartiQL fuzzing")
struct PartiQLFuzzTests {
    static let tokens = [
        "SELECT", "INSERT", "INTO", "UPDATE", "DELETE", "FROM", "WHERE", "SET", "REMOVE", "VALUE", "RETURNING", "ALL", "OLD",
        "NEW", "ORDER", "BY", "DESC", "ASC", "AND", "OR", "NOT", "IN", "BETWEEN", "IS", "MISSING", "NULL", "TRUE", "*",
        "orders", "\"orders\"", "\"orders\".\"byStatus\"", "other", "customer", "n", "status", "a.b", "l[0]",
        "l[99999999999999999999]", "?", "'x'", "''", "1", "-1", "1e999999", "99999999999999999999999999999999999999999",
        "=", "<>", "!=", "<", "<=", ">", ">=", "+", "-", ",", ".", "(", ")", "[", "]", "{", "}", ":", "<<", ">>",
        "begins_with(", "contains(", "size(", "attribute_type(", "list_append(", "set_add(", "EXISTS(", "nosuch(",
        "\"", "'", "é", "\u{0}",
    ]
    static let parameters: [AttributeValue] = [.s("a"), .n(DynamoNumber(1)), .ss(["x"])]

    /// Parses and plans `text`; true when it was accepted.
    @discardableResult
    static func exercise(_ text: String) -> Bool {
        do throws(DynamoError) {
            _ = try PartiQLPlanner.plan(try PartiQLParser.parse(text), parameters: parameters) { (name) throws(DynamoError) in
                guard name == "orders" else { throw .tableNotFound() }
                return PartiQLPlannerTests.orders
            }
            return true
        } catch {
            #expect(error.code == .validation || error.code == .resourceNotFound, "\(text): \(error)")
            #expect(!error.message.isEmpty)
            return false
        }
    }

    @Test("random token sequences are refused with an AWS error or planned, never trap")
    func tokenSequences() {
        var random = SplitMix64(seed: 0x9A_271_0)
        for _ in 0..<3000 { Self.exercise(FuzzInput.tokenSoup(Self.tokens, &random)) }
    }

    @Test("random bytes are refused with an AWS error or planned, never trap")
    func randomBytes() {
        var random = SplitMix64(seed: 0x5E1EC7)
        for _ in 0..<3000 { Self.exercise(FuzzInput.bytes(alphabet: "SELCT*FROMWHER or'\"?=<>()[]{},.:019 ", &random)) }
    }

    @Test("deep nesting within the 8 KB statement limit is refused, not recursed into")
    func deepNesting() {
        let depth = 4000
        for text in [
            "SELECT * FROM orders WHERE " + String(repeating: "(", count: depth) + "n = 1" + String(repeating: ")", count: depth),
            "SELECT * FROM orders WHERE " + String(repeating: "NOT ", count: 2000) + "n = 1",
            "INSERT INTO orders VALUE " + String(repeating: "{'a':", count: 1500) + "1" + String(repeating: "}", count: 1500),
            "INSERT INTO orders VALUE {'customer': 'a', 'n': 1, 'l': " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}",
            "SELECT * FROM orders WHERE n = " + String(repeating: "-", count: 8000) + "1",
        ] {
            #expect(!Self.exercise(text), "\(text.prefix(40))")
        }
    }

    @Test("long flat chains within the 8 KB limit are planned or refused, never trap")
    func longChains() {
        Self.exercise("SELECT * FROM orders WHERE n = 1" + String(repeating: " AND n = 1", count: 810))
        Self.exercise("SELECT * FROM orders WHERE n = 1" + String(repeating: " OR n = 1", count: 810))
        Self.exercise("UPDATE orders SET a = 1" + String(repeating: "+1", count: 4000) + " WHERE customer = 'a' AND n = 1")
        Self.exercise("SELECT * FROM orders WHERE n IN [" + Array(repeating: "1", count: 4000).joined(separator: ",") + "]")
    }
}
