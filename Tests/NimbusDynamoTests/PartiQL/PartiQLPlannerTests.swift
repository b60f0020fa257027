import Testing

@testable import NimbusDynamo

@Suite("PartiQL planner")
struct PartiQLPlannerTests {
    /// `orders`: `customer` (S) hash, `n` (N) range, global index `byStatus` on `status`.
    static let orders = try! TableSchema(definition: RequestFields(json: JSON.parse(Array(#"""
        {"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
         "KeySchema":[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
         "AttributeDefinitions":[{"AttributeName":"customer","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"},
                                 {"AttributeName":"status","AttributeType":"S"}],
         "GlobalSecondaryIndexes":[{"IndexName":"byStatus","KeySchema":[{"AttributeName":"status","KeyType":"HASH"}],
                                    "Projection":{"ProjectionType":"ALL"}}]}
        """#.utf8))), now: 0)

    static func plan(_ text: String, _ parameters: [AttributeValue] = []) throws(DynamoError) -> PartiQLPlanner.Plan {
        try PartiQLPlanner.plan(try PartiQLParser.parse(text), parameters: parameters) { (name) throws(DynamoError) in
            guard name == "orders" else { throw .tableNotFound() }
            return orders
        }
    }

    static func read(_ text: String, _ parameters: [AttributeValue] = []) throws -> PartiQLPlanner.Read {
        guard case .read(let read) = try plan(text, parameters) else { throw DynamoError.validation("not a read") }
        return read
    }

    static func write(_ text: String, _ parameters: [AttributeValue] = []) throws -> TransactWrite {
        guard case .write(let write, _) = try plan(text, parameters) else { throw DynamoError.validation("not a write") }
        return write
    }

    static func n(_ i: Int) -> AttributeValue { .n(DynamoNumber(i)) }

    @Test("partition key equality makes a Query; the sort key narrows it", arguments: [
        ("SELECT * FROM orders WHERE customer = 'a'", nil),
        ("SELECT * FROM orders WHERE 'a' = customer AND total > 3", nil),
        ("SELECT * FROM orders WHERE customer = 'a' AND n >= 2", KeyCondition.SortCondition.compare(.greaterOrEqual, n(2))),
        ("SELECT * FROM orders WHERE 2 < n AND customer = 'a'", .compare(.greater, n(2))),
        ("SELECT * FROM orders WHERE customer = 'a' AND n BETWEEN 1 AND 3", .between(n(1), n(3))),
        ("SELECT * FROM orders WHERE customer = 'a' AND n > 1 AND n = 2", .compare(.equal, n(2))),
    ])
    func query(statement: String, sort: KeyCondition.SortCondition?) throws {
        let read = try Self.read(statement)
        #expect(read.isQuery)
        #expect(read.keyConditions == [KeyCondition(partition: .s("a"), sort: sort)])
        #expect(read.filter != nil)  // The whole WHERE still filters.
    }

    @Test("without a usable partition key equality it is a Scan", arguments: [
        "SELECT * FROM orders",
        "SELECT * FROM orders WHERE n = 1",
        "SELECT * FROM orders WHERE customer = 'a' OR n = 1",
        "SELECT * FROM orders WHERE NOT customer = 'a'",
        "SELECT * FROM orders WHERE customer <> 'a'",
        "SELECT * FROM orders WHERE customer = 1",
        "SELECT * FROM orders WHERE customer = ''",
        "SELECT * FROM orders WHERE customer IN ['a', 'b'] OR n = 1",
        "SELECT * FROM orders WHERE customer = 'a' OR customer = 'b' OR n = 1",
        "SELECT * FROM orders WHERE customer IN [1, 2, '']",
        "SELECT * FROM orders WHERE customer IN ['a', total]",
        "SELECT * FROM orders WHERE NOT customer IN ['a', 'b']",
        "SELECT * FROM orders WHERE begins_with(customer, 'a')",
        "SELECT * FROM orders WHERE customer.x = 'a'",
    ])
    func scan(statement: String) throws {
        #expect(try !Self.read(statement).isQuery)
    }

    @Test("IN and OR on the partition key plan one Query per value, in the statement's order, each once", arguments: [
        ("SELECT * FROM orders WHERE customer IN ['b', 'a', 'b']", [AttributeValue](), ["b", "a"]),
        ("SELECT * FROM orders WHERE customer IN ('b', 'a')", [], ["b", "a"]),
        ("SELECT * FROM orders WHERE customer IN [?, ?]", [.s("y"), .s("x")], ["y", "x"]),
        ("SELECT * FROM orders WHERE customer = 'b' OR customer = 'a'", [], ["b", "a"]),
        ("SELECT * FROM orders WHERE (customer = 'c' OR customer IN ['a', 'b']) AND total > 1", [], ["c", "a", "b"]),
        ("SELECT * FROM orders WHERE customer IN ['a', 1, '', 'b']", [], ["a", "b"]),
        ("SELECT * FROM orders WHERE customer IN ['a', 'b', 'c'] AND customer IN ['c', 'b']", [], ["c", "b"]),
        ("SELECT * FROM orders WHERE customer IN ['a', 'b'] AND customer = 'b'", [], ["b"]),
    ])
    func partitions(statement: String, parameters: [AttributeValue], expected: [String]) throws {
        let read = try Self.read(statement, parameters)
        #expect(read.keyConditions.map(\.partition) == expected.map(AttributeValue.s))
        #expect(read.filter != nil)  // The whole WHERE still filters.
    }

    @Test("each partition gets the sort-key condition; ORDER BY the partition key orders the partitions")
    func partitionsAndSortKey() throws {
        let read = try Self.read("SELECT * FROM orders WHERE customer IN ['b', 'a'] AND n > 2")
        #expect(read.keyConditions == ["b", "a"].map { KeyCondition(partition: .s($0), sort: .compare(.greater, Self.n(2))) })
        let byKey = try Self.read("SELECT * FROM orders WHERE customer IN ['b', 'c', 'a'] ORDER BY customer DESC")
        #expect(byKey.keyConditions.map(\.partition) == [.s("c"), .s("b"), .s("a")])
        #expect(!byKey.forward)
        let bySort = try Self.read("SELECT * FROM orders WHERE customer IN ['b', 'c', 'a'] ORDER BY n")
        #expect(bySort.keyConditions.map(\.partition) == [.s("b"), .s("c"), .s("a")])
        let index = try Self.read(#"SELECT * FROM orders."byStatus" WHERE status IN ['open', 'done']"#)
        #expect(index.index?.name == "byStatus")
        #expect(index.keyConditions.map(\.partition) == [.s("open"), .s("done")])
    }

    @Test("an IN on the partition key reads at most 50 partitions")
    func partitionLimit() throws {
        func values(_ count: Int) -> String { (1...count).map { "'v\($0)'" }.joined(separator: ", ") }
        #expect(try Self.read("SELECT * FROM orders WHERE customer IN [\(values(50))]").keyConditions.count == 50)
        #expect(throws: DynamoError.validation("Too many decomposed read operations for a given query.")) {
            try Self.read("SELECT * FROM orders WHERE customer IN [\(values(51))]")
        }
        // Repeats name one partition; with a non-key alternative it is a Scan, which has no such limit.
        #expect(try Self.read("SELECT * FROM orders WHERE customer IN [\(values(50)), 'v1', 'v2']").keyConditions.count == 50)
        #expect(try !Self.read("SELECT * FROM orders WHERE customer IN [\(values(51))] OR total = 1").isQuery)
    }

    @Test("an index is queried by its own key; ORDER BY DESC reads backwards")
    func indexAndOrder() throws {
        let byStatus = try Self.read(#"SELECT * FROM orders."byStatus" WHERE status = ?"#, [.s("open")])
        #expect(byStatus.index?.name == "byStatus")
        #expect(byStatus.keyConditions == [KeyCondition(partition: .s("open"), sort: nil)])
        #expect(try !Self.read(#"SELECT * FROM orders."byStatus" WHERE customer = 'a'"#).isQuery)
        #expect(try !Self.read("SELECT * FROM orders WHERE customer = 'a' ORDER BY n DESC").forward)
        #expect(throws: DynamoError.validation("The table does not have the specified index: nope")) {
            try Self.read(#"SELECT * FROM orders."nope""#)
        }
        #expect(throws: DynamoError.validation("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.")) {
            try Self.read("SELECT * FROM orders WHERE n = 1 ORDER BY n DESC")
        }
        #expect(throws: DynamoError.validation("Variable reference total in ORDER BY clause must be part of the primary key")) {
            try Self.read("SELECT * FROM orders WHERE customer = 'a' ORDER BY total")
        }
        #expect(throws: DynamoError.validation("Must have WHERE clause in the statement when using ORDER BY clause.")) {
            try Self.read("SELECT * FROM orders ORDER BY n")
        }
    }

    @Test("the full primary key is recognised for batch and transaction reads")
    func fullKey() throws {
        #expect(try Self.read("SELECT * FROM orders WHERE customer = 'a' AND n = 1 AND total > 2").fullKey == ["customer": .s("a"), "n": Self.n(1)])
        #expect(try Self.read("SELECT * FROM orders WHERE customer = 'a' AND n > 1").fullKey == nil)
    }

    @Test("writes: INSERT puts only a new item, UPDATE needs the item, DELETE tolerates a missing one")
    func writes() throws {
        let insert = try Self.write("INSERT INTO orders VALUE {'customer': ?, 'n': 1, 'x': 'y'}", [.s("a")])
        guard case .insert(let item) = insert.kind else {
            Issue.record("not an insert")
            return
        }
        #expect(item == ["customer": .s("a"), "n": Self.n(1), "x": .s("y")])

        let update = try Self.write("UPDATE orders SET x = x + 1 REMOVE y WHERE n = 1 AND customer = 'a' AND x < 5")
        #expect(update.keyItem == ["customer": .s("a"), "n": Self.n(1)])
        let old: Item = ["customer": .s("a"), "n": Self.n(1), "x": Self.n(1)]
        #expect(update.condition.map { ConditionEvaluator.evaluate($0, on: old) } == true)
        #expect(update.condition.map { ConditionEvaluator.evaluate($0, on: [:]) } == false)

        let delete = try Self.write("DELETE FROM orders WHERE customer = 'a' AND n = 1 AND x = 9")
        #expect(delete.condition.map { ConditionEvaluator.evaluate($0, on: [:]) } == true)
        #expect(delete.condition.map { ConditionEvaluator.evaluate($0, on: old) } == false)
        #expect(try Self.write("DELETE FROM orders WHERE customer = 'a' AND n = 1").condition == nil)
    }

    @Test("write and parameter errors", arguments: [
        ("UPDATE orders SET x = 1 WHERE customer = 'a'", [AttributeValue](), "Where clause does not contain a mandatory equality on all key attributes"),
        ("DELETE FROM orders WHERE customer = 'a' OR n = 1", [], "Where clause does not contain a mandatory equality on all key attributes"),
        ("DELETE FROM orders", [], "Where clause does not contain a mandatory equality on all key attributes"),
        ("UPDATE orders SET n = 2 WHERE customer = 'a' AND n = 1", [], "One or more parameter values were invalid: Cannot update attribute n. This attribute is part of the key"),
        ("UPDATE orders SET x = set_add(y, <<1>>) WHERE customer = 'a' AND n = 1", [], "The first argument to SET_ADD must equal the assignment value"),
        ("UPDATE orders SET x = set_delete(x, 1) WHERE customer = 'a' AND n = 1", [], "The second argument to SET_DELETE must be a value with type SET"),
        ("UPDATE orders SET x = nope(x) WHERE customer = 'a' AND n = 1", [], "Unrecognized function: nope"),
        ("SELECT * FROM orders WHERE customer = ?", [], "Number of parameters in request and statement don't match."),
        ("SELECT * FROM orders", [.s("x")], "Number of parameters in request and statement don't match."),
        ("SELECT * FROM orders WHERE a + 1 = 2", [], "Unsupported operator in Condition Expression. Operator: +"),
        ("SELECT * FROM orders WHERE frobnicate(a)", [], "Unrecognized function: frobnicate"),
        ("INSERT INTO orders VALUE {'n': 1}", [], "One or more parameter values were invalid: Missing the key customer in the item"),
        ("INSERT INTO orders VALUE ?", [.s("x")], "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."),
    ])
    func errors(statement: String, parameters: [AttributeValue], expected: String) {
        #expect(throws: DynamoError.validation(expected), "\(statement)") { try Self.plan(statement, parameters) }
    }

    @Test("an unknown table is ResourceNotFoundException")
    func unknownTable() {
        #expect(throws: DynamoError.tableNotFound()) { try Self.plan("SELECT * FROM other") }
    }
}
