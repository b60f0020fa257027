import Testing

@testable import NimbusDynamo

@Suite("PartiQL through the service")
struct PartiQLServiceTests {
    static func statement(_ text: String, _ parameters: String? = nil, extra: String = "") -> String {
        let escaped = text.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        return #"{"Statement":"\#(escaped)""# + (parameters.map { #","Parameters":\#($0)"# } ?? "") + extra + "}"
    }

    @Test("SELECT-only calls route to readers; writes and transactions to the writer's group commit")
    func routing() throws {
        func call(_ name: String, _ body: String) throws -> DynamoEngine.Call {
            DynamoEngine.Call(name: name, operation: DynamoEngine.operations[name]!, request: try RequestFields(json: JSON.parse(Array(body.utf8))))
        }
        #expect(DynamoEngine.isPageRead(try call("ExecuteStatement", Self.statement("  -- hi\n select * from t"))))
        #expect(!DynamoEngine.isPageRead(try call("ExecuteStatement", Self.statement("DELETE FROM t WHERE pk = 'a'"))))
        #expect(!DynamoEngine.isPageRead(try call("ExecuteStatement", Self.statement("SELECT 'open"))))
        #expect(DynamoEngine.isPageRead(try call("BatchExecuteStatement", #"{"Statements":[{"Statement":"SELECT * FROM t"},{"Statement":"select a FROM t"}]}"#)))
        #expect(!DynamoEngine.isPageRead(try call("BatchExecuteStatement", #"{"Statements":[{"Statement":"SELECT * FROM t"},{"Statement":"DELETE FROM t"}]}"#)))
        #expect(!DynamoEngine.isPageRead(try call("ExecuteTransaction", #"{"TransactStatements":[{"Statement":"SELECT * FROM t"}]}"#)))
        #expect(DynamoEngine.itemWrites.isSuperset(of: ["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"]))
    }

    @Test("a write is visible to the next SELECT, which a reader runs")
    func readYourWrites() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("pqt", sortKeyType: "N")
        for i in 1...3 {
            await harness.ok("ExecuteStatement", Self.statement("INSERT INTO pqt VALUE {'pk': 'a', 'sk': ?, 'v': ?}", #"[{"N":"\#(i)"},{"S":"x\#(i)"}]"#))
        }
        let page = await harness.ok("ExecuteStatement", Self.statement("SELECT v FROM pqt WHERE pk = 'a' AND sk > 1"))
        #expect(page["Items"] == .array([.object(["v": .object(["S": .string("x2")])]), .object(["v": .object(["S": .string("x3")])])]))
        await harness.ok("ExecuteStatement", Self.statement("UPDATE pqt SET v = 'new' WHERE pk = 'a' AND sk = 3"))
        #expect(await harness.get("pqt", #"{"pk":{"S":"a"},"sk":{"N":"3"}}"#)?["v"]?.scalar == "new")
    }

    @Test("request-level validation: missing or long Statement, empty Parameters, Limit, statement counts")
    func requestValidation() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("pqt")
        #expect(await harness.fails("ExecuteStatement", "{}") ==
            ("ValidationException", "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null"))
        let long = "SELECT * FROM pqt WHERE " + String(repeating: "a = 1 OR ", count: 1000) + "a = 1"
        #expect(await harness.fails("ExecuteStatement", Self.statement(long)).1.hasSuffix("Member must have length less than or equal to 8192"))
        #expect(await harness.fails("ExecuteStatement", Self.statement("SELECT * FROM pqt", "[]")).1.hasSuffix("Member must have length greater than or equal to 1"))
        #expect(await harness.fails("ExecuteStatement", Self.statement("SELECT * FROM pqt", extra: #","Limit":0"#)).0 == "ValidationException")
        #expect(await harness.fails("BatchExecuteStatement", #"{"Statements":[]}"#).0 == "ValidationException")
        let many = (0...100).map { _ in #"{"Statement":"SELECT * FROM pqt WHERE pk = 'a'"}"# }.joined(separator: ",")
        #expect(await harness.fails("ExecuteTransaction", #"{"TransactStatements":[\#(many)]}"#).1.hasSuffix("Member must have length less than or equal to 100"))
        #expect(await harness.fails("ExecuteStatement", Self.statement("SELECT * FROM nope")) == ("ResourceNotFoundException", "Requested resource not found"))
    }

    @Test("a cancelled ExecuteTransaction leaves nothing behind and reports each statement")
    func transactionRollsBack() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("pqt")
        await harness.put("pqt", #"{"pk":{"S":"taken"}}"#)
        let response = await harness.call("ExecuteTransaction", #"""
            {"TransactStatements":[{"Statement":"INSERT INTO pqt VALUE {'pk': 'new'}"},
                                   {"Statement":"UPDATE pqt SET n = 1 WHERE pk = 'absent'"},
                                   {"Statement":"INSERT INTO pqt VALUE {'pk': 'taken'}"}]}
            """#)
        #expect(response.errorType == "TransactionCanceledException")
        #expect(response.json["CancellationReasons"] == .array([
            .object(["Code": .string("None")]),
            .object(["Code": .string("ConditionalCheckFailed"), "Message": .string("The conditional request failed")]),
            .object(["Code": .string("DuplicateItem"), "Message": .string("Duplicate primary key exists in table")]),
        ]))
        #expect(await harness.get("pqt", #"{"pk":{"S":"new"}}"#) == nil)
    }

    @Test("ReturnValuesOnConditionCheckFailure returns the item that failed the WHERE")
    func returnOldOnFailure() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("pqt")
        await harness.put("pqt", #"{"pk":{"S":"a"},"n":{"N":"1"}}"#)
        let response = await harness.call("ExecuteStatement", Self.statement(
            "DELETE FROM pqt WHERE pk = 'a' AND n = 2", extra: #","ReturnValuesOnConditionCheckFailure":"ALL_OLD""#))
        #expect(response.errorType == "ConditionalCheckFailedException")
        #expect(response.json["Item"]?["n"]?.scalar == "1")
    }

    /// Every page of `statement`, following NextToken.
    private static func pages(_ harness: ServiceHarness, _ statement: String, limit: Int) async -> [[String]] {
        var pages: [[String]] = []
        var token = ""
        repeat {
            let page = await harness.ok("ExecuteStatement", Self.statement(statement, extra: #","Limit":\#(limit)\#(token)"#))
            guard case .array(let items)? = page["Items"] else { return pages }
            pages.append(items.compactMap { item in item["pk"]?.scalar.flatMap { pk in item["sk"]?.scalar.map { pk + $0 } } })
            token = page["NextToken"]?.stringValue.map { #","NextToken":"\#($0)""# } ?? ""
        } while !token.isEmpty && pages.count < 50
        return pages
    }

    @Test("an IN on the partition key reads each partition in turn: Limit and NextToken run across them")
    func partitionIn() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("pin", sortKeyType: "N")
        for (pk, count) in [("a", 3), ("b", 2), ("c", 3), ("other", 20)] {
            for sk in 1...count { await harness.put("pin", #"{"pk":{"S":"\#(pk)"},"sk":{"N":"\#(sk)"}}"#) }
        }
        let statement = "SELECT * FROM pin WHERE pk IN ['c', 'a', 'none', 'b', 'a']"
        // Only the named partitions are read, so every page holds Limit items: a Scan would spend
        // its Limit on the 20 other items too and return short or empty pages.
        let pages = await Self.pages(harness, statement, limit: 3)
        #expect(pages == [["c1", "c2", "c3"], ["a1", "a2", "a3"], ["b1", "b2"]])
        #expect(await Self.pages(harness, statement, limit: 2).joined().map { $0 } == ["c1", "c2", "c3", "a1", "a2", "a3", "b1", "b2"])
        let filtered = await Self.pages(harness, "SELECT * FROM pin WHERE (pk = 'b' OR pk = 'a') AND sk > 1", limit: 100)
        #expect(filtered == [["b2", "a2", "a3"]])
        let backwards = await Self.pages(harness, "SELECT * FROM pin WHERE pk IN ['b', 'a'] ORDER BY pk DESC", limit: 100)
        #expect(backwards == [["b2", "b1", "a3", "a2", "a1"]])
    }
}
