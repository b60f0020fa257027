import Testing

@testable import NimbusDynamo

/// Every class of malformed expression, with DynamoDB's exact message.
@Suite("Expression errors")
struct ExpressionErrorTests {
    typealias S = ExpressionTestSupport

    @Test("update expression errors", arguments: [
        ("", "Invalid UpdateExpression: The expression can not be empty;"),
        ("   ", "Invalid UpdateExpression: The expression can not be empty;"),
        ("SET a", #"Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a""#),
        ("SET", #"Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET""#),
        ("SET MyStr = myNum + 1", #"Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1""#),
        ("SET MyStr = myNum Mystr2 myNum2", #"Invalid UpdateExpression: Syntax error; token: "Mystr2", near: "myNum Mystr2 myNum2""#),
        ("SET MyStr = my Num", #"Invalid UpdateExpression: Syntax error; token: "Num", near: "my Num""#),
        ("SET a = :s,", #"Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ",""#),
        ("SET a = b +", #"Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+""#),
        ("SET a = b * :s", #"Invalid UpdateExpression: Syntax error; token: "*", near: "b * :s""#),
        ("UPSERT a = :s", #"Invalid UpdateExpression: Syntax error; token: "UPSERT", near: "UPSERT a""#),
        ("ADD a b", #"Invalid UpdateExpression: Syntax error; token: "b", near: "a b""#),
        ("DELETE a", #"Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a""#),
        ("SET a[x] = :s", #"Invalid UpdateExpression: Syntax error; token: "x", near: "[x]""#),
        ("SET a = :s SET b = :s", #"Invalid UpdateExpression: The "SET" section can only be used once in an update expression;"#),
        ("SET name = :s", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"),
        ("SET a = :y", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :y"),
        ("SET #x = :s", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x"),
        ("SET a = :s, a.b = :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
        ("SET a = :s REMOVE a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        ("SET a.b = :s, a[0] = :s", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"),
        ("ADD a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
        ("ADD a :l", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST"),
        ("DELETE a :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"),
        ("SET a = b + :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"),
        ("SET a = :l - b", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: L"),
        ("SET a = list_append(a, :s)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"),
        ("SET a = if_not_exists(:s, :s)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"),
        ("SET a = if_not_exists(a)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"),
        ("SET a = foo(b)", "Invalid UpdateExpression: Invalid function name; function: foo"),
        ("SET a = attribute_exists(b)", "Invalid UpdateExpression: Invalid function name; function: attribute_exists"),
        ("SET name = :undefined", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    ])
    func update(expression: String, message: String) {
        #expect(S.message { _ = try S.update(expression) } == message)
    }

    @Test("condition expression errors", arguments: [
        ("", "Invalid ConditionExpression: The expression can not be empty;"),
        ("foo", #"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo""#),
        ("a = = :s", #"Invalid ConditionExpression: Syntax error; token: "=", near: "= = :s""#),
        ("a = !!", #"Invalid ConditionExpression: Syntax error; token: "!", near: "= !!""#),
        ("a BETWEEN :n", #"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":n""#),
        ("a IN ()", #"Invalid ConditionExpression: Syntax error; token: ")", near: "()""#),
        ("a = :s AND", #"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND""#),
        ("(a = :s", #"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":s""#),
        ("a = :s)", #"Invalid ConditionExpression: Syntax error; token: ")", near: ":s)""#),
        ("a + :s = :s", #"Invalid ConditionExpression: Syntax error; token: "+", near: "a + :s""#),
        ("status = :s", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
        ("a.Size = :s", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size"),
        ("a = :y", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :y"),
        ("#x = :s", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"),
        ("foo(a)", "Invalid ConditionExpression: Invalid function name; function: foo"),
        ("if_not_exists(a, :s) = :s", "Invalid ConditionExpression: Invalid function name; function: if_not_exists"),
        ("begins_with(a, :s) = :bool", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with"),
        ("size(a)", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"),
        ("attribute_exists(a, b)", "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"),
        ("attribute_exists(:s)", "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"),
        ("begins_with(a, :n)", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
        ("attribute_type(a, :s)", "Invalid ConditionExpression: Invalid attribute type name found; type: abc, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"),
        ("attribute_type(a, :n)", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"),
        ("size(:n) > :n", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"),
        ("((a = :s))", "Invalid ConditionExpression: The expression has redundant parentheses;"),
        ("a = a", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"),
        ("contains(a.b, a.b)", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a, b]"),
        ("a BETWEEN :n AND :s", "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:abc}"),
        ("a BETWEEN :ten AND :one", "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}"),
    ])
    func condition(expression: String, message: String) {
        #expect(S.message { _ = try S.condition(expression) } == message)
    }

    @Test("errors name the expression they come from", arguments: [ExpressionKind.filter, .keyCondition, .condition])
    func labels(kind: ExpressionKind) {
        #expect(S.message { _ = try S.condition("a = ", kind: kind) } == #"Invalid \#(kind.rawValue): Syntax error; token: "<EOF>", near: "=""#)
    }

    @Test("projection expression errors", arguments: [
        ("", "Invalid ProjectionExpression: The expression can not be empty;"),
        ("a b", #"Invalid ProjectionExpression: Syntax error; token: "b", near: "a b""#),
        ("a,", #"Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ",""#),
        ("a, a.b", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
        ("a, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        ("#n", "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #n"),
        ("name", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    ])
    func projection(expression: String, message: String) {
        #expect(S.message { _ = try S.projection(expression) } == message)
    }

    @Test("unused names and values are reported")
    func unused() throws {
        var context = ExpressionContext(names: ["#a": "a", "#b": "b"], values: [":x": .s("1"), ":y": .s("2")])
        _ = context.name("#a")
        _ = context.value(":y")
        #expect(S.message { try context.checkAllUsed() } == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}")
        _ = context.name("#b")
        #expect(S.message { try context.checkAllUsed() } == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}")
    }

    @Test("oversized and absurdly nested expressions are rejected, not overflowing the stack")
    func limits() {
        let long = "a = :s" + String(repeating: " AND a = :s", count: 400)
        #expect(S.message { _ = try S.condition(long) } == "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: \(long.utf8.count)")
        let deep = String(repeating: "(", count: 1000) + "a = :s" + String(repeating: ")", count: 1000)
        #expect(S.message { _ = try S.condition(deep) }?.hasPrefix("Invalid ConditionExpression: Syntax error; token: \"(\"") == true)
        let nots = String(repeating: "NOT ", count: 500) + "a = :s"
        #expect(S.message { _ = try S.condition(nots) }?.hasPrefix("Invalid ConditionExpression: Syntax error") == true)
        let fine = String(repeating: "(", count: 50) + "a = :s" + String(repeating: ")", count: 50)
        #expect(S.message { _ = try S.condition(fine) } == "Invalid ConditionExpression: The expression has redundant parentheses;")
    }

    /// `a.a….a` of `count` elements; `#d` as one of them, and a list index, count too.
    static func path(_ count: Int) -> String {
        "#d[0]" + String(repeating: ".a", count: count - 2)
    }

    @Test("document paths are limited to 32 levels in every expression", arguments: [32, 33, 40])
    func pathDepth(levels: Int) {
        let path = Self.path(levels)
        let names = ["#d": "doc"]
        let refusal = levels > 32 ? "The document path has too many nesting levels; nesting levels: \(levels)" : nil
        #expect(S.message { _ = try S.projection(path, names: names) } == refusal.map { "Invalid ProjectionExpression: " + $0 })
        #expect(S.message { _ = try S.update("SET \(path) = :s", names: names) } == refusal.map { "Invalid UpdateExpression: " + $0 })
        #expect(S.message { _ = try S.update("REMOVE \(path)", names: names, values: nil) } == refusal.map { "Invalid UpdateExpression: " + $0 })
        #expect(S.message { _ = try S.condition("attribute_exists(\(path))", names: names, values: nil) } == refusal.map { "Invalid ConditionExpression: " + $0 })
        #expect(S.message { _ = try S.condition("size(\(path)) > :n", kind: .filter, names: names) } == refusal.map { "Invalid FilterExpression: " + $0 })
    }

    @Test("an undefined name in a long path is reported before its depth")
    func pathDepthAfterNames() {
        #expect(S.message { _ = try S.projection(Self.path(33)) }
            == "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #d")
    }
}
