import Testing

@testable import NimbusDynamo

@Suite("PartiQL lexer and parser")
struct PartiQLParserTests {
    static func parse(_ text: String) throws(DynamoError) -> PartiQLParser.Parsed { try PartiQLParser.parse(text) }

    static func message(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.code == .validation ? error.message : "\(error.code): \(error.message)"
        }
    }

    @Test("tokens: quoted names and strings unescape, comments vanish, two-character symbols")
    func tokens() throws {
        let tokens = try PartiQLLexer.tokenize(#"SELECT "we""ird" -- note"# + "\n" + #"/* c */ 'it''s' <<1.5e2>> != ? <= -3"#)
        #expect(tokens.map(\.kind) == [.word, .quotedName, .string, .symbol, .number, .symbol, .symbol, .parameter, .symbol, .symbol, .number, .end])
        #expect(tokens[1].text == #"we"ird"#)
        #expect(tokens[2].text == "it's")
        #expect(tokens[4].text == "1.5e2")
    }

    @Test("SELECT: projection, table and index, WHERE, ORDER BY, parameters counted in order")
    func select() throws {
        let parsed = try Self.parse(#"select a.b[2], "x y" FROM "T"."idx" WHERE pk = ? AND (n > ? OR NOT c IS MISSING) ORDER BY n DESC;"#)
        #expect(parsed.parameterCount == 2)
        guard case .select(let select) = parsed.statement else {
            Issue.record("not a select")
            return
        }
        #expect(select.projection == [DocumentPath([.name("a"), .name("b"), .index(2)]), DocumentPath(name: "x y")])
        #expect(select.table == "T" && select.index == "idx" && select.descending && select.orderBy == DocumentPath(name: "n"))
        let expected: PartiQLStatement.Condition = .and(
            .compare(.equal, .path(DocumentPath(name: "pk")), .parameter(0)),
            .or(.compare(.greater, .path(DocumentPath(name: "n")), .parameter(1)), .not(.isType(.path(DocumentPath(name: "c")), "MISSING"))))
        #expect(select.condition == expected)
    }

    @Test("literals: strings, numbers, booleans, null, maps, lists, sets, negative numbers")
    func literals() throws {
        let parsed = try Self.parse("INSERT INTO t VALUE {'s': 'x', 'n': -1.50, 'b': TRUE, 'z': null, 'm': {'l': [1, ?]}, 'ss': <<'a', 'b'>>}")
        guard case .insert(let insert) = parsed.statement, case .map(let entries) = insert.item else {
            Issue.record("not an insert of a map")
            return
        }
        #expect(parsed.parameterCount == 1)
        #expect(entries.map(\.key) == ["s", "n", "b", "z", "m", "ss"])
        #expect(entries[1].value == .literal(.n(try DynamoNumber(parsing: "-1.5"))))
        #expect(entries[4].value == .map([PartiQLStatement.MapEntry(key: "l", value: .list([.literal(.n(DynamoNumber(1))), .parameter(0)]))]))
        let bound = try PartiQLBinder(parameters: [.s("p")]).value(insert.item)
        #expect(bound.mapValue?["ss"] == .ss(["a", "b"]))
        #expect(bound.mapValue?["m"] == .m(["l": .l([.n(DynamoNumber(1)), .s("p")])]))
    }

    @Test("UPDATE with several SET and REMOVE clauses, RETURNING; DELETE")
    func writes() throws {
        let update = try Self.parse("UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d = set_add(d, <<'x'>>) WHERE pk = 'k' RETURNING MODIFIED NEW *")
        guard case .update(let u) = update.statement else {
            Issue.record("not an update")
            return
        }
        #expect(u.actions.count == 4 && u.returning == .modifiedNew)
        #expect(u.actions[2] == .remove(DocumentPath(name: "c")))
        let delete = try Self.parse(#"DELETE FROM "t" WHERE pk = 'k' RETURNING ALL OLD *"#)
        #expect(delete.statement == .delete(PartiQLStatement.Delete(
            table: "t", condition: .compare(.equal, .path(DocumentPath(name: "pk")), .literal(.s("k"))), returning: .allOld)))
    }

    static let wellFormed = "Statement wasn't well formed, can't be processed: "

    @Test("every class of malformed statement gets a clear ValidationException", arguments: [
        ("", wellFormed + "Unexpected end of statement"),
        ("   -- only a comment", wellFormed + "Unexpected end of statement"),
        ("SELEC * FROM t", wellFormed + "Expected data manipulation"),
        ("UPSERT INTO t VALUE {'a': 1}", wellFormed + "Expected data manipulation"),
        ("SELECT * FROM", wellFormed + "Unexpected end of statement"),
        ("SELECT * t", wellFormed + "Unexpected token"),
        ("SELECT * FROM select", wellFormed + "Unexpected keyword"),
        ("SELECT * FROM 't'", wellFormed + "Unexpected token"),
        ("SELECT * FROM t WHERE a = 'open", wellFormed + "Unterminated string literal"),
        (#"SELECT * FROM "t"#, wellFormed + "Unterminated quoted identifier"),
        ("SELECT * FROM t /* open", wellFormed + "Unterminated comment"),
        ("SELECT * FROM t WHERE a = #x", wellFormed + "Unexpected character"),
        ("SELECT * FROM t WHERE a[x] = 1", wellFormed + "Unexpected token"),
        ("SELECT * FROM t WHERE a BETWEEN 1 2", wellFormed + "Unexpected token"),
        ("SELECT * FROM t WHERE a IS", wellFormed + "Unexpected end of statement"),
        ("SELECT * FROM t WHERE (a = 1", wellFormed + "Unexpected end of statement"),
        ("SELECT * FROM t; SELECT * FROM t", wellFormed + "Unexpected keyword"),
        ("SELECT * FROM t WHERE a = 1 b", wellFormed + "Unexpected token"),
        ("INSERT t VALUE {'a': 1}", wellFormed + "Unexpected token"),
        ("INSERT INTO t VALUE {'a' 1}", wellFormed + "Unexpected token"),
        ("UPDATE t WHERE a = 1", wellFormed + "Unexpected keyword"),
        ("DELETE t WHERE a = 1", wellFormed + "Unexpected token"),
        ("SELECT * FROM t WHERE a", "WHERE clause must contain an expression that resolves to a boolean"),
        ("SELECT * FROM t LIMIT 5", "Unsupported clause: LIMIT"),
        ("SELECT *, a FROM t", "Other attributes should not be present in the projection when '*' is used."),
        ("SELECT a AS b FROM t", "Aliasing is not supported"),
        ("SELECT a.z, b.z FROM t", "Duplicate identifiers in select clause: z"),
        ("SELECT * FROM t, u", "Only select from a single table or index is supported."),
        ("SELECT * FROM t WHERE a = MISSING", "MISSING must be compared using IS operator"),
        ("SELECT * FROM t WHERE a IS DATE", "Unsupported data type for IS operator: DATE. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"),
        ("SELECT * FROM t WHERE a IN []", "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"),
        ("SELECT * FROM t WHERE 1 IN [1]", "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"),
        ("INSERT INTO t VALUE 'a'", "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."),
        ("INSERT INTO t VALUES {'a': 1}", #"Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead"#),
        ("INSERT INTO t VALUE {'a': 1, 'a': 2}", "Duplicate keys in tuple. Key: a"),
        ("INSERT INTO t VALUE {a: 1}", "Tuple keys must be of type String. Actual type: SYMBOL"),
        ("INSERT INTO t VALUE {'a': 1} RETURNING ALL OLD *", "RETURNING is not supported in INSERT"),
        ("INSERT INTO t VALUE {'n': 1e999}", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        ("UPDATE t ADD a 1 WHERE pk = 'k'", "Only SET and REMOVE are supported in update expressions at this time"),
        ("UPDATE t SET a = 1 WHERE pk = 'k' RETURNING ALL OLD", "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"),
        ("DELETE FROM t WHERE pk = 'k' RETURNING ALL NEW *", "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
    ])
    func malformed(statement: String, expected: String) {
        #expect(Self.message(statement) == expected, "\(statement)")
    }

    @Test("values that only binding can reject", arguments: [
        ("INSERT INTO t VALUE {'s': <<>>}", "Empty bags are not supported"),
        ("INSERT INTO t VALUE {'s': <<'a', 1>>}", "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"),
        ("INSERT INTO t VALUE {'s': <<'a', 'a'>>}", "Input collection contains duplicates"),
        ("INSERT INTO t VALUE {'s': b}", "Unsupported operation: a document path where a value is expected"),
    ])
    func bindingErrors(statement: String, expected: String) throws {
        guard case .insert(let insert) = try Self.parse(statement).statement else {
            Issue.record("not an insert")
            return
        }
        #expect(throws: DynamoError.validation(expected)) { try PartiQLBinder(parameters: []).value(insert.item) }
    }
}
