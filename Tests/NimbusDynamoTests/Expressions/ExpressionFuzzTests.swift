import NimbusCore
import Testing

@testable import NimbusDynamo

/// Seeded fuzzing of the expression languages: random token sequences and random bytes go
/// through parse, bind, key analysis, evaluation and update. Every step may refuse with a
/// ValidationException; none may trap (a trap here takes the whole server down).
@Suite("Expression fuzzing")
struct ExpressionFuzzTests {
    typealias S = ExpressionTestSupport

    static let tokens = [
        "a", "b", "pk", "sk", "l", "m", "#n", "#undefined", ":s", ":n", ":l", ":ss", ":b", ":m", ":missing", "(", ")", "[", "]",
        "[0]", "[1]", "[99999999999999999999]", "[9223372036854775807]", "0", "-", "+", ",", ".", "=", "<>", "<", "<=", ">",
        ">=", "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "size(", "attribute_exists(",
        "attribute_not_exists(", "attribute_type(", "begins_with(", "contains(", "if_not_exists(", "list_append(", "nosuch(",
        "é", "$", "\u{0}", "\"",
    ]
    static let item: Item = [
        "pk": .s("p"), "sk": .n(try! DynamoNumber(parsing: "1")), "a": .s("abc"), "l": .l([.s("x"), .n(.zero)]),
        "m": .m(["k": .l([.bool(true)])]), "ss": .ss(["a"]), "b": .b([1, 2, 3]),
    ]
    static let key = KeySchema(hash: KeyAttribute(name: "pk", type: .s), range: KeyAttribute(name: "sk", type: .n))

    /// Runs `text` through every language and every later stage it reaches; returns how many
    /// stages accepted it, so the test can tell that the fuzzing reached past the parser.
    static func exercise(_ text: String) -> Int {
        var accepted = 0
        func refusedWithValidation(_ body: () throws(DynamoError) -> Void) {
            do throws(DynamoError) {
                try body()
                accepted += 1
            } catch {
                #expect(error.code == .validation, "\(text): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        for kind in [ExpressionKind.condition, .filter, .keyCondition] {
            refusedWithValidation { () throws(DynamoError) in
                let condition = try S.condition(text, kind: kind, names: ["#n": "a"])
                _ = ConditionEvaluator.evaluate(condition, on: item)
                if kind == .keyCondition { _ = try KeyCondition.analyze(condition, key: key) }
            }
        }
        refusedWithValidation { () throws(DynamoError) in
            let actions = try S.update(text, names: ["#n": "a"])
            _ = try UpdateApplier.apply(actions, to: item)
        }
        refusedWithValidation { () throws(DynamoError) in
            _ = Projection(try S.projection(text, names: ["#n": "a"])).apply(to: item)
        }
        return accepted
    }

    @Test("random token sequences are refused with a ValidationException or work, never trap")
    func tokenSequences() {
        var random = SplitMix64(seed: 0xE4_9E55_1011)
        var accepted = 0
        for _ in 0..<3000 { accepted += Self.exercise(FuzzInput.tokenSoup(Self.tokens, &random)) }
        #expect(accepted > 0, "no token sequence ever got past the parser")
    }

    @Test("random bytes are refused with a ValidationException or work, never trap")
    func randomBytes() {
        var random = SplitMix64(seed: 0xB17E5)
        for _ in 0..<3000 { _ = Self.exercise(FuzzInput.bytes(alphabet: "ab#:()[].,=<>+- 019", &random)) }
    }

    @Test("deep nesting and long inputs are refused, not recursed into")
    func deepAndLong() {
        for text in [
            String(repeating: "(", count: 1000) + "a = :s" + String(repeating: ")", count: 1000),
            String(repeating: "NOT ", count: 1000) + "a = :s", String(repeating: "size(", count: 500) + "a",
            "a = :s" + String(repeating: " AND a = :s", count: 500),
        ] {
            #expect(Self.exercise(text) == 0, "\(text.prefix(40))")
        }
        // A 2001-element path fits in 4 KB; every language refuses it as too deep, without trapping.
        #expect(Self.exercise("a" + String(repeating: ".a", count: 2000)) == 0)
    }
}
