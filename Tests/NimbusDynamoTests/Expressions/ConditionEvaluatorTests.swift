import Testing

@testable import NimbusDynamo

@Suite("Condition evaluation")
struct ConditionEvaluatorTests {
    typealias S = ExpressionTestSupport

    static let item: Item = [
        "s": .s("abcdef"), "n": S.n("5"), "b": .b([1, 2, 3]), "t": .bool(true), "z": .null,
        "l": .l([.s("x"), S.n("1")]), "m": .m(["k": .s("v"), "deep": .m(["x": S.n("10")])]),
        "ss": .ss(["a", "b"]), "ns": .ns([try! DynamoNumber(parsing: "1")]), "bs": .bs([[1, 2]]),
    ]

    @Test("evaluates", arguments: [
        ("s = :s", false), ("n = :n", true), ("n = :one", false), ("n <> :one", true), ("n < :ten", true), ("n <= :n", true),
        ("n > :n", false), ("n >= :n", true), ("s > :s", true), ("n = :s", false), ("n < :s", false), ("absent = :s", false),
        ("absent <> :s", true), ("n BETWEEN :one AND :ten", true), ("n BETWEEN :ten AND :ten", false), ("n IN (:one, :n)", true),
        ("n IN (:one, :ten)", false), ("attribute_exists(m.deep.x)", true), ("attribute_exists(m.deep.y)", false),
        ("attribute_not_exists(absent)", true), ("attribute_exists(l[1])", true), ("attribute_exists(l[2])", false),
        ("attribute_type(s, :t)", true), ("attribute_type(n, :t)", false), ("begins_with(s, :s)", true),
        ("contains(s, :s)", true), ("contains(ss, :s)", false), ("contains(l, :one)", true), ("contains(ns, :one)", true),
        ("size(s) = :n", false), ("size(l) < :n", true), ("size(m) = :one", false), ("size(ss) >= :one", true),
        ("size(absent) = :n", false), ("size(n) = :one", false), ("NOT n = :n", false), ("n = :n AND s <> :s", true),
        ("n = :one OR attribute_exists(t)", true), ("NOT (n = :one OR attribute_exists(t))", false), ("m.deep.x = :ten", true),
        ("l[0] = :s", false), ("t = :bool", true), ("z = :s", false), ("m = :m", false), ("l = :l", false),
    ])
    func evaluation(expression: String, expected: Bool) throws {
        let condition = try S.condition(expression, values: S.defaultValues.merging([":s": .s("abc")]) { $1 })
        #expect(ConditionEvaluator.evaluate(condition, on: Self.item) == expected, "\(expression)")
    }

    @Test("string and binary functions compare bytes")
    func bytes() throws {
        let values: [String: AttributeValue] = [":p": .s("abc"), ":q": .s("cde"), ":bp": .b([1, 2]), ":bq": .b([2, 3]), ":e": .s("")]
        let item = Self.item
        #expect(ConditionEvaluator.evaluate(try S.condition("begins_with(s, :p)", values: values.filter { $0.key == ":p" }), on: item))
        #expect(ConditionEvaluator.evaluate(try S.condition("contains(s, :q)", values: values.filter { $0.key == ":q" }), on: item))
        #expect(ConditionEvaluator.evaluate(try S.condition("begins_with(b, :bp)", values: values.filter { $0.key == ":bp" }), on: item))
        #expect(ConditionEvaluator.evaluate(try S.condition("contains(b, :bq)", values: values.filter { $0.key == ":bq" }), on: item))
        #expect(ConditionEvaluator.evaluate(try S.condition("contains(bs, :bp)", values: values.filter { $0.key == ":bp" }), on: item))
        #expect(ConditionEvaluator.evaluate(try S.condition("begins_with(s, :e)", values: values.filter { $0.key == ":e" }), on: item))
    }

    @Test("an absent item is empty: only attribute_not_exists-style conditions pass")
    func absentItem() throws {
        #expect(ConditionEvaluator.evaluate(try S.condition("attribute_not_exists(pk)", values: nil), on: [:]))
        #expect(!ConditionEvaluator.evaluate(try S.condition("attribute_exists(pk)", values: nil), on: [:]))
    }
}

@Suite("Update application")
struct UpdateApplierTests {
    typealias S = ExpressionTestSupport

    private func apply(_ expression: String, to item: Item, values: [String: AttributeValue] = S.defaultValues) throws(DynamoError) -> Item {
        try UpdateApplier.apply(try S.update(expression, values: values), to: item)
    }

    @Test("SET with arithmetic, if_not_exists and list_append")
    func set() throws {
        let item: Item = ["n": S.n("5"), "l": .l([.s("a")])]
        let result = try apply("SET n = n + :one, m = if_not_exists(m, :ten) - :one, l = list_append(l, :l), k = if_not_exists(n, :ten)", to: item)
        #expect(result["n"] == S.n("6"))
        #expect(result["m"] == S.n("9"))
        #expect(result["l"] == .l([.s("a"), .s("x")]))
        #expect(result["k"] == S.n("5"))
    }

    @Test("right-hand sides read the item before the update")
    func swap() throws {
        let result = try apply("SET a = b, b = a", to: ["a": .s("1"), "b": .s("2")], values: [:])
        #expect(result["a"] == .s("2"))
        #expect(result["b"] == .s("1"))
    }

    @Test("nested paths")
    func nested() throws {
        let item: Item = ["m": .m(["a": .l([.s("x"), .m(["c": S.n("1")])])])]
        let result = try apply("SET m.a[1].c = :ten, m.b = :s", to: item)
        #expect(ItemPaths.value(in: result, at: S.path(.name("m"), .name("a"), .index(1), .name("c"))) == S.n("10"))
        #expect(ItemPaths.value(in: result, at: S.path(.name("m"), .name("b"))) == .s("abc"))
        let appended = try apply("SET m.a[10] = :s", to: item)
        #expect(appended["m"]?.mapValue?["a"]?.listValue?.count == 3)
    }

    @Test("REMOVE attributes and list elements by their original indexes")
    func remove() throws {
        let item: Item = ["a": .s("1"), "l": .l([.s("0"), .s("1"), .s("2"), .s("3")])]
        let result = try apply("REMOVE a, l[0], l[2], l[9]", to: item, values: [:])
        #expect(result["a"] == nil)
        #expect(result["l"] == .l([.s("1"), .s("3")]))
    }

    @Test("ADD numbers and sets; DELETE from sets")
    func addDelete() throws {
        let item: Item = ["n": S.n("1.5"), "ss": .ss(["a"])]
        let values: [String: AttributeValue] = [":n": S.n("2"), ":ss": .ss(["a", "b"]), ":d": .ss(["a", "b"]), ":m": S.n("-1")]
        let result = try apply("ADD n :n, ss :ss, fresh :m, freshSet :ss", to: item, values: values.filter { $0.key != ":d" })
        #expect(result["n"] == S.n("3.5"))
        #expect(result["ss"] == .ss(["a", "b"]))
        #expect(result["fresh"] == S.n("-1"))
        #expect(result["freshSet"] == .ss(["a", "b"]))
        let emptied = try apply("DELETE ss :d", to: result, values: [":d": .ss(["a", "b"])])
        #expect(emptied["ss"] == nil)
        let partial = try apply("DELETE ss :d", to: result, values: [":d": .ss(["a"])])
        #expect(partial["ss"] == .ss(["b"]))
        let absent = try apply("DELETE nothing :d", to: result, values: [":d": .ss(["a"])])
        #expect(absent == result)
    }

    @Test("runtime errors use DynamoDB's messages", arguments: [
        ("SET a = absent", "The provided expression refers to an attribute that does not exist in the item"),
        ("SET a = s + :one", "An operand in the update expression has an incorrect data type"),
        ("SET a = list_append(s, :l)", "An operand in the update expression has an incorrect data type"),
        ("ADD s :one", "An operand in the update expression has an incorrect data type"),
        ("DELETE ns :ss", "An operand in the update expression has an incorrect data type"),
        ("SET absent.b = :one", "The document path provided in the update expression is invalid for update"),
        ("SET s.b = :one", "The document path provided in the update expression is invalid for update"),
        ("SET s[0] = :one", "The document path provided in the update expression is invalid for update"),
        ("REMOVE absent.b", "The document path provided in the update expression is invalid for update"),
        ("ADD absent.b :one", "The document path provided in the update expression is invalid for update"),
        ("SET big = big + :one", "Attempting to store more than 38 significant digits in a Number"),
    ])
    func runtimeErrors(expression: String, message: String) {
        let item: Item = ["s": .s("x"), "ns": .ns([DynamoNumber(1)]), "big": S.n("1E+100")]
        #expect(S.message { _ = try apply(expression, to: item) } == message)
    }
}

@Suite("Projection")
struct ProjectionTests {
    typealias S = ExpressionTestSupport

    @Test("keeps selected paths, list elements in index order")
    func projection() throws {
        let item: Item = ["a": .s("1"), "b": .s("2"), "m": .m(["x": .s("3"), "y": .s("4")]), "l": .l([.s("0"), .s("1"), .s("2")])]
        let projected = Projection(try S.projection("a, m.x, l[2], l[0], absent, m.nothing")).apply(to: item)
        #expect(projected == ["a": .s("1"), "m": .m(["x": .s("3")]), "l": .l([.s("0"), .s("2")])])
    }
}
