import Testing

@testable import NimbusDynamo

@Suite("Expression grammar")
struct ExpressionParserTests {
    typealias S = ExpressionTestSupport
    private let a = DocumentPath(name: "a")
    private let b = DocumentPath(name: "b")

    @Test("tokenizer splits names, placeholders, indexes and operators")
    func tokens() {
        let tokens = ExpressionLexer.tokenize(Array("#n.a[12] <= :v,<>(".utf8))
        #expect(tokens.map(\.text) == ["#n", ".", "a", "[", "12", "]", "<=", ":v", ",", "<>", "(", "<EOF>"])
        #expect(tokens.map(\.kind) == [.nameRef, .symbol, .identifier, .symbol, .number, .symbol, .symbol, .valueRef, .symbol, .symbol, .symbol, .end])
    }

    @Test("comparators", arguments: [("=", Syntax.Comparator.equal), ("<>", .notEqual), ("<", .less), ("<=", .lessOrEqual), (">", .greater), (">=", .greaterOrEqual)])
    func comparators(symbol: String, comparator: Syntax.Comparator) throws {
        #expect(try S.condition("a \(symbol) :s") == .compare(comparator, .path(a), .value(.s("abc"))))
    }

    @Test("BETWEEN and IN")
    func betweenIn() throws {
        #expect(try S.condition("a BETWEEN :one AND :ten") == .between(.path(a), .value(S.n("1")), .value(S.n("10"))))
        #expect(try S.condition("a in (:one, :ten, b)") == .inList(.path(a), [.value(S.n("1")), .value(S.n("10")), .path(b)]))
    }

    @Test("AND binds tighter than OR; NOT tighter than AND; keywords are case-insensitive")
    func precedence() throws {
        let x: Expression.Condition = .compare(.equal, .path(a), .value(S.n("1")))
        let y: Expression.Condition = .compare(.equal, .path(b), .value(S.n("1")))
        let z: Expression.Condition = .exists(DocumentPath(name: "c"))
        #expect(try S.condition("a = :one OR b = :one AND attribute_exists(c)") == .or(x, .and(y, z)))
        #expect(try S.condition("(a = :one or b = :one) and attribute_exists(c)") == .and(.or(x, y), z))
        #expect(try S.condition("NOT a = :one AND b = :one") == .and(.not(x), y))
        #expect(try S.condition("not (a = :one AND b = :one)") == .not(.and(x, y)))
    }

    @Test("functions")
    func functions() throws {
        #expect(try S.condition("attribute_exists(a)") == .exists(a))
        #expect(try S.condition("attribute_not_exists(a)") == .notExists(a))
        #expect(try S.condition("attribute_type(a, :t)") == .attributeType(.path(a), "S"))
        #expect(try S.condition("begins_with(a, :s)") == .beginsWith(.path(a), .value(.s("abc"))))
        #expect(try S.condition("contains(a, :s)") == .contains(.path(a), .value(.s("abc"))))
        #expect(try S.condition("size(a) > :n") == .compare(.greater, .size(.path(a)), .value(S.n("5"))))
    }

    @Test("nested document paths and placeholders")
    func paths() throws {
        let expected = S.path(.name("a"), .name("b"), .index(2), .name("c"))
        #expect(try S.condition("attribute_exists(a.b[2].c)") == .exists(expected))
        #expect(try S.condition("attribute_exists(#x.b [ 2 ] . #y)", names: ["#x": "a", "#y": "c"]) == .exists(expected))
        #expect(try S.condition("attribute_exists(#s)", names: ["#s": "status"]) == .exists(DocumentPath(name: "status")))
        #expect(try S.condition("attribute_exists(#k)", names: ["#k": "a.b"]) == .exists(DocumentPath(name: "a.b")))
    }

    @Test("a parenthesised operand is accepted")
    func operandParentheses() throws {
        #expect(try S.condition("(a) = :s") == .compare(.equal, .path(a), .value(.s("abc"))))
    }

    @Test("update clauses")
    func updates() throws {
        let actions = try S.update("SET a = :one, b = a + :one, c = a - :one REMOVE d, e[1] ADD f :one, g :ss DELETE h :ss")
        #expect(actions == [
            .set(a, .operand(.value(S.n("1")))),
            .set(b, .plus(.path(a), .value(S.n("1")))),
            .set(DocumentPath(name: "c"), .minus(.path(a), .value(S.n("1")))),
            .remove(DocumentPath(name: "d")),
            .remove(S.path(.name("e"), .index(1))),
            .add(DocumentPath(name: "f"), S.n("1")),
            .add(DocumentPath(name: "g"), .ss(["a", "b"])),
            .delete(DocumentPath(name: "h"), .ss(["a", "b"])),
        ])
    }

    @Test("update functions")
    func updateFunctions() throws {
        #expect(try S.update("set a = if_not_exists(a, :one)") == [.set(a, .operand(.ifNotExists(a, .value(S.n("1")))))])
        #expect(try S.update("SET a = list_append(a, :l)") == [.set(a, .operand(.listAppend(.path(a), .value(.l([.s("x")])))))])
        #expect(try S.update("SET a = if_not_exists(a, :one) + :one") == [.set(a, .plus(.ifNotExists(a, .value(S.n("1"))), .value(S.n("1"))))])
        #expect(try S.update("SET a = (b + :one)") == [.set(a, .plus(.path(b), .value(S.n("1"))))])
        #expect(try S.update("SET a.b[3].c = :one") == [.set(S.path(.name("a"), .name("b"), .index(3), .name("c")), .operand(.value(S.n("1"))))])
    }

    @Test("projections")
    func projections() throws {
        #expect(try S.projection("a, b.c, d[0], #n", names: ["#n": "name"]) == [a, S.path(.name("b"), .name("c")), S.path(.name("d"), .index(0)), DocumentPath(name: "name")])
    }

    @Test("the cache returns the same tree")
    func cache() throws {
        let cache = ExpressionCache(capacity: 2)
        let first = try cache.condition("a = :s", kind: .condition)
        #expect(try cache.condition("a = :s", kind: .condition) == first)
        _ = try cache.condition("b = :s", kind: .condition)
        _ = try cache.condition("c = :s", kind: .condition)  // evicts
        #expect(try cache.update("SET a = :s") == (try ExpressionParser.parseUpdate("SET a = :s")))
    }
}
