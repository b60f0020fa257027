@testable import NimbusDynamo

/// Shorthands for expression tests: parse + bind with names and values, and item builders.
enum ExpressionTestSupport {
    static func n(_ text: String) -> AttributeValue { .n(try! DynamoNumber(parsing: text)) }

    static let defaultValues: [String: AttributeValue] = [
        ":s": .s("abc"), ":n": n("5"), ":one": n("1"), ":ten": n("10"), ":l": .l([.s("x")]), ":ss": .ss(["a", "b"]),
        ":ns": .ns([try! DynamoNumber(parsing: "1")]), ":b": .b([1, 2]), ":t": .s("S"), ":bool": .bool(true), ":m": .m(["k": .s("v")]),
    ]

    static func condition(
        _ text: String, kind: ExpressionKind = .condition, names: [String: String]? = nil, values: [String: AttributeValue]? = defaultValues
    ) throws(DynamoError) -> Expression.Condition {
        var context = ExpressionContext(names: names, values: values)
        let syntax = try ExpressionParser.parseCondition(text, kind: kind)
        return try ExpressionBinder.bindCondition(syntax, kind: kind, &context)
    }

    static func update(
        _ text: String, names: [String: String]? = nil, values: [String: AttributeValue]? = defaultValues
    ) throws(DynamoError) -> [Expression.UpdateAction] {
        var context = ExpressionContext(names: names, values: values)
        let syntax = try ExpressionParser.parseUpdate(text)
        return try ExpressionBinder.bindUpdate(syntax, &context)
    }

    static func projection(_ text: String, names: [String: String]? = nil) throws(DynamoError) -> [DocumentPath] {
        var context = ExpressionContext(names: names)
        return try ExpressionBinder.bindProjection(try ExpressionParser.parseProjection(text), &context)
    }

    /// The error message of a throwing call, or nil.
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as DynamoError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    static func path(_ elements: DocumentPath.Element...) -> DocumentPath { DocumentPath(elements) }
}
