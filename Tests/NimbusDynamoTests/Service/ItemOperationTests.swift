import NimbusCore
import Testing

@testable import NimbusDynamo

@Suite("Item operations")
struct ItemOperationTests {
    static let everyType = #"""
        {"pk":{"S":"all"},"s":{"S":"text ü"},"n":{"N":"1.50"},"b":{"B":"AQID"},"t":{"BOOL":true},"z":{"NULL":true},
         "l":{"L":[{"S":"x"},{"N":"2"}]},"m":{"M":{"k":{"S":"v"}}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AQ=="]}}
        """#

    @Test("PutItem / GetItem round-trip every type; numbers come back normalised")
    func roundTrip() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.put("tbl", Self.everyType)
        let item = try #require(await harness.get("tbl", #"{"pk":{"S":"all"}}"#))
        #expect(item["n"] == .object(["N": .string("1.5")]))
        #expect(item["s"]?.scalar == "text ü")
        #expect(item["b"] == .object(["B": .string("AQID")]))
        #expect(item["z"] == .object(["NULL": .bool(true)]))
        #expect(item["m"]?["M"]?["k"]?.scalar == "v")
        #expect(item.count == 11)
        #expect(await harness.ok("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"none"}}}"#) == .object([:]))
    }

    @Test("GetItem projections, with names and legacy AttributesToGet")
    func projection() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.put("tbl", Self.everyType)
        let projected = await harness.ok("GetItem", ##"{"TableName":"tbl","Key":{"pk":{"S":"all"}},"ProjectionExpression":"s, m.k, l[1], #n","ExpressionAttributeNames":{"#n":"n"}}"##)
        #expect(projected["Item"]?.count == 4)
        #expect(projected["Item"]?["l"] == .object(["L": .array([.object(["N": .string("2")])])]))
        let legacy = await harness.ok("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"all"}},"AttributesToGet":["s","t"]}"#)
        #expect(legacy["Item"]?.count == 2)
        let mixed = await harness.fails("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"all"}},"AttributesToGet":["s"],"ProjectionExpression":"s"}"#)
        #expect(mixed.1 == "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
    }

    @Test("conditional writes and ReturnValuesOnConditionCheckFailure")
    func conditions() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        let create = #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"}"#
        await harness.ok("PutItem", create)
        #expect(await harness.fails("PutItem", create) == ("ConditionalCheckFailedException", "The conditional request failed"))
        let response = await harness.call("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}"#)
        #expect(response.errorType == "ConditionalCheckFailedException")
        #expect(response.json["Item"]?["v"] == .object(["N": .string("1")]))
        await harness.ok("DeleteItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"ConditionExpression":"v = :one","ExpressionAttributeValues":{":one":{"N":"1.0"}}}"#)
        #expect(await harness.get("tbl", #"{"pk":{"S":"a"}}"#) == nil)
    }

    @Test("legacy Expected")
    func expected() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.ok("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"N":"1"}},"Expected":{"pk":{"Exists":false}}}"#)
        #expect(await harness.fails("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"Expected":{"v":{"Value":{"N":"2"}}}}"#).0 == "ConditionalCheckFailedException")
        await harness.ok("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"N":"3"}},"Expected":{"v":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"2"}]}}}"#)
        await harness.ok("DeleteItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"Expected":{"v":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"3"}]},"w":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"AND"}"#)
        let invalid = await harness.fails("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"Expected":{"v":{"Exists":false,"Value":{"N":"2"}}}}"#)
        #expect(invalid.1 == "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: v")
    }

    @Test("PutItem and DeleteItem ReturnValues")
    func returnValues() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        #expect(await harness.ok("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"S":"1"}},"ReturnValues":"ALL_OLD"}"#) == .object([:]))
        let replaced = await harness.ok("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"S":"2"}},"ReturnValues":"ALL_OLD"}"#)
        #expect(replaced["Attributes"]?["v"]?.scalar == "1")
        let deleted = await harness.ok("DeleteItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"ReturnValues":"ALL_OLD"}"#)
        #expect(deleted["Attributes"]?["v"]?.scalar == "2")
        #expect(await harness.fails("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ReturnValues":"ALL_NEW"}"#).1 == "Return values set to invalid value")
        #expect(await harness.fails("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ReturnValues":"SOME"}"#).1
            == "1 validation error detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")
    }

    @Test("UpdateItem with every ReturnValues option", arguments: [
        ("NONE", nil as String?), ("ALL_OLD", #"{"pk":{"S":"a"},"n":{"N":"1"},"gone":{"S":"x"}}"#),
        ("ALL_NEW", #"{"pk":{"S":"a"},"n":{"N":"2"},"added":{"SS":["q"]}}"#),
        ("UPDATED_OLD", #"{"n":{"N":"1"},"gone":{"S":"x"}}"#), ("UPDATED_NEW", #"{"n":{"N":"2"},"added":{"SS":["q"]}}"#),
    ])
    func update(returnValues: String, expected: String?) async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.put("tbl", #"{"pk":{"S":"a"},"n":{"N":"1"},"gone":{"S":"x"}}"#)
        let response = await harness.ok("UpdateItem", #"""
            {"TableName":"tbl","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = n + :one REMOVE gone ADD added :q",
             "ExpressionAttributeValues":{":one":{"N":"1"},":q":{"SS":["q"]}},"ReturnValues":"\#(returnValues)"}
            """#)
        let attributes = response["Attributes"]
        if let expected {
            #expect(attributes == (try JSON.parse(Array(expected.utf8))))
        } else {
            #expect(attributes == nil)
        }
    }

    @Test("UpdateItem creates missing items, counters work, and keys are protected")
    func upsert() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        for _ in 0..<3 {
            await harness.ok("UpdateItem", ##"{"TableName":"tbl","Key":{"pk":{"S":"c"}},"UpdateExpression":"ADD hits :one SET #l = list_append(if_not_exists(#l, :empty), :x)","ExpressionAttributeNames":{"#l":"log"},"ExpressionAttributeValues":{":one":{"N":"1"},":empty":{"L":[]},":x":{"L":[{"S":"x"}]}}}"##)
        }
        let item = try #require(await harness.get("tbl", #"{"pk":{"S":"c"}}"#))
        #expect(item["hits"] == .object(["N": .string("3")]))
        #expect(item["log"]?["L"]?.count == 3)
        let key = await harness.fails("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"c"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"z"}}}"#)
        #expect(key.1 == "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")
        await harness.ok("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"bare"}}}"#)
        #expect(await harness.get("tbl", #"{"pk":{"S":"bare"}}"#) == .object(["pk": .object(["S": .string("bare")])]))
    }

    @Test("legacy AttributeUpdates")
    func attributeUpdates() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.put("tbl", #"{"pk":{"S":"a"},"n":{"N":"1"},"old":{"S":"x"},"l":{"L":[{"S":"a"}]}}"#)
        await harness.ok("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"n":{"Action":"ADD","Value":{"N":"4"}},"old":{"Action":"DELETE"},"new":{"Value":{"S":"y"}},"l":{"Action":"ADD","Value":{"L":[{"S":"b"}]}}}}"#)
        let item = try #require(await harness.get("tbl", #"{"pk":{"S":"a"}}"#))
        #expect(item["n"]?.scalar == "5")
        #expect(item["old"] == nil)
        #expect(item["new"]?.scalar == "y")
        #expect(item["l"]?["L"]?.count == 2)
    }

    @Test("update errors at run time are ValidationExceptions")
    func updateRuntimeErrors() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        await harness.put("tbl", #"{"pk":{"S":"a"},"s":{"S":"x"}}"#)
        let error = await harness.fails("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET s = s + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}"#)
        #expect(error == ("ValidationException", "An operand in the update expression has an incorrect data type"))
        #expect(await harness.get("tbl", #"{"pk":{"S":"a"}}"#)?["s"]?.scalar == "x")
    }

    @Test("key and item validation", arguments: [
        ("PutItem", #"{"TableName":"tbl","Item":{"x":{"S":"a"}}}"#, "One or more parameter values were invalid: Missing the key pk in the item"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"N":"1"}}}"#, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":""}}}"#, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"),
        ("PutItem", #"{"TableName":"tbl"}"#, "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"s":{"SS":[]}}}"#, "One or more parameter values were invalid: An string set  may not be empty"),
        ("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"},"x":{"S":"b"}}}"#, "The provided key element does not match the schema"),
        ("GetItem", #"{"TableName":"tbl","Key":{"pk":{"N":"1"}}}"#, "The provided key element does not match the schema"),
        ("DeleteItem", #"{"TableName":"tbl","Key":{}}"#, "The provided key element does not match the schema"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":x":{"S":"1"}}}"#, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"),
        ("PutItem", ##"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#x":"x"}}"##, "ExpressionAttributeNames can only be specified when using expressions"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(a)","ExpressionAttributeValues":{":x":{"S":"1"}}}"#, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"),
        ("PutItem", ##"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(a)","ExpressionAttributeNames":{"#x":"x"}}"##, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = :x","ExpressionAttributeValues":{}}"#, "ExpressionAttributeValues must not be empty"),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = :x","ExpressionAttributeValues":{"x":{"S":"1"}}}"#, #"ExpressionAttributeValues contains invalid key: Syntax error; key: "x""#),
        ("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = :x","ExpressionAttributeValues":{":x":{"NS":[]}}}"#, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An number set  may not be empty for key :x"),
        ("UpdateItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :y","ExpressionAttributeValues":{":x":{"S":"1"}}}"#, "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :y"),
        // Placeholder keys of over 255 bytes: the length is checked before the syntax.
        ("PutItem", ##"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(#x)","ExpressionAttributeNames":{"#x":"x","#\##(String(repeating: "a", count: 254))-":"y"}}"##, "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256"),
        ("PutItem", ##"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = :x","ExpressionAttributeValues":{":x":{"S":"1"},":\##(String(repeating: "é", count: 128))":{"S":"2"}}}"##, "ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;"),
        ("PutItem", ##"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(#x)","ExpressionAttributeNames":{"#x":"x","#\##(String(repeating: "a", count: 254))":"y"}}"##, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#" + String(repeating: "a", count: 254) + "}"),
        ("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"AttributesToGet":["a",""]}"#, "Empty attribute name"),
        ("GetItem", #"{"TableName":"tbl","Key":{"pk":{"S":"a"}},"AttributesToGet":["\#(String(repeating: "n", count: 65_536))"]}"#, "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"),
    ])
    func validation(operation: String, body: String, message: String) async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        #expect(await harness.fails(operation, body) == ("ValidationException", message))
    }

    @Test("items over 400 KB are rejected")
    func itemSize() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        let big = String(repeating: "x", count: 400 * 1024)
        #expect(await harness.fails("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"},"d":{"S":"\#(big)"}}}"#).1 == "Item size has exceeded the maximum allowed size")
        let fits = String(repeating: "x", count: 400 * 1024 - 10)
        await harness.put("tbl", #"{"pk":{"S":"a"},"d":{"S":"\#(fits)"}}"#)
    }

    @Test("ReturnConsumedCapacity")
    func consumedCapacity() async throws {
        let harness = try ServiceHarness()
        await harness.createTable()
        let response = await harness.ok("PutItem", #"{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL"}"#)
        #expect(response["ConsumedCapacity"]?["TableName"] == .string("tbl"))
        #expect(response["ConsumedCapacity"]?["CapacityUnits"] == .number("1"))
    }
}
