import Testing

@testable import NimbusDynamo

/// Inputs at DynamoDB's limits: Integer members, attribute names, repeated transaction items,
/// nesting. Each refusal has DynamoDB's wording and leaves the table as it was.
@Suite("Request limits")
struct RequestLimitTests {
    static let nestingMessage = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
    static let longNameMessage = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"

    /// Table `lim` (pk S) holding one item `{pk: a, v: 1}`.
    private func fixture() async throws -> ServiceHarness {
        let harness = try ServiceHarness()
        await harness.createTable("lim")
        await harness.put("lim", #"{"pk":{"S":"a"},"v":{"N":"1"}}"#)
        return harness
    }

    private func expectUnchanged(_ harness: ServiceHarness, sourceLocation: SourceLocation = #_sourceLocation) async {
        let scan = await harness.ok("Scan", #"{"TableName":"lim","ConsistentRead":true}"#)
        #expect(scan["Count"] == .number("1"), sourceLocation: sourceLocation)
        let item = await harness.get("lim", #"{"pk":{"S":"a"}}"#)
        #expect(item?.count == 2 && item?["v"]?.scalar == "1", sourceLocation: sourceLocation)
    }

    // MARK: Integer members

    @Test("Limit is a 32-bit Integer: 2^31 and beyond do not deserialize", arguments: ["2147483648", "4294967297", "9223372036854775807"])
    func limitOverflow(limit: String) async throws {
        let harness = try await fixture()
        let requests = [
            ("Query", #"{"TableName":"lim","Limit":\#(limit),"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}"#),
            ("Scan", #"{"TableName":"lim","Limit":\#(limit)}"#),
            ("Scan", #"{"TableName":"lim","Segment":\#(limit),"TotalSegments":2}"#),
            ("ListTables", #"{"Limit":\#(limit)}"#),
            ("ExecuteStatement", #"{"Statement":"SELECT * FROM lim","Limit":\#(limit)}"#),
        ]
        for (operation, body) in requests {
            let (code, message) = await harness.fails(operation, body)
            #expect(code == "SerializationException", "\(operation)")
            #expect(message == "NUMBER_VALUE cannot be converted to Integer", "\(operation)")
        }
    }

    @Test("the largest Integer is a valid Limit")
    func largestLimit() async throws {
        let harness = try await fixture()
        let query = await harness.ok("Query", #"{"TableName":"lim","Limit":2147483647,"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}"#)
        #expect(query["Count"] == .number("1"))
        let statement = await harness.ok("ExecuteStatement", #"{"Statement":"SELECT * FROM lim","Limit":2147483647}"#)
        #expect(statement["Items"]?.count == 1)
    }

    @Test("zero and negative limits fail the member constraint", arguments: ["0", "-1", "-2147483648"])
    func smallLimits(limit: String) async throws {
        let harness = try await fixture()
        let expected = "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        #expect(await harness.fails("Scan", #"{"TableName":"lim","Limit":\#(limit)}"#).1 == expected)
        #expect(await harness.fails("ExecuteStatement", #"{"Statement":"SELECT * FROM lim","Limit":\#(limit)}"#).1 == expected)
        #expect(await harness.fails("ListTables", #"{"Limit":\#(limit)}"#).1 == expected)
    }

    // MARK: Attribute names

    @Test("empty and over-long attribute names in items and keys are refused; nothing is written", arguments: [
        (0, "Empty attribute name"), (65_536, longNameMessage),
    ])
    func itemNames(length: Int, message: String) async throws {
        let harness = try await fixture()
        let name = String(repeating: "n", count: length)
        let requests = [
            ("PutItem", #"{"TableName":"lim","Item":{"pk":{"S":"b"},"\#(name)":{"S":"x"}}}"#),
            ("PutItem", #"{"TableName":"lim","Item":{"pk":{"S":"b"},"doc":{"M":{"ok":{"L":[{"M":{"\#(name)":{"N":"1"}}}]}}}}}"#),
            ("UpdateItem", #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET doc = :d","ExpressionAttributeValues":{":d":{"M":{"\#(name)":{"N":"1"}}}}}"#),
            ("GetItem", #"{"TableName":"lim","Key":{"pk":{"S":"a"},"\#(name)":{"S":"x"}}}"#),
            ("DeleteItem", #"{"TableName":"lim","Key":{"pk":{"S":"a"},"\#(name)":{"S":"x"}}}"#),
            ("BatchWriteItem", #"{"RequestItems":{"lim":[{"PutRequest":{"Item":{"pk":{"S":"c"}}}},{"PutRequest":{"Item":{"pk":{"S":"b"},"\#(name)":{"S":"x"}}}}]}}"#),
            ("TransactWriteItems", #"{"TransactItems":[{"Put":{"TableName":"lim","Item":{"pk":{"S":"c"}}}},{"Put":{"TableName":"lim","Item":{"pk":{"S":"b"},"\#(name)":{"S":"x"}}}}]}"#),
        ]
        for (operation, body) in requests {
            let (code, text) = await harness.fails(operation, body)
            #expect(code == "ValidationException", "\(operation)")
            #expect(text.hasSuffix(message), "\(operation): \(text)")
        }
        await expectUnchanged(harness)
    }

    @Test("a name of 65,535 bytes is the longest accepted")
    func longestName() async throws {
        let harness = try await fixture()
        let name = String(repeating: "n", count: 65_535)
        await harness.ok("UpdateItem", ##"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET #n = :v","ExpressionAttributeNames":{"#n":"\##(name)"},"ExpressionAttributeValues":{":v":{"N":"2"}}}"##)
        #expect(await harness.get("lim", #"{"pk":{"S":"a"}}"#)?[name]?.scalar == "2")
    }

    @Test("ExpressionAttributeNames may not map to an empty or over-long name")
    func expressionNames() async throws {
        let harness = try await fixture()
        let empty = await harness.fails("UpdateItem", ##"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET #n = :v","ExpressionAttributeNames":{"#n":""},"ExpressionAttributeValues":{":v":{"N":"2"}}}"##)
        #expect(empty == ("ValidationException", "ExpressionAttributeNames contains invalid value: Empty attribute name for key #n"))
        let long = String(repeating: "n", count: 65_536)
        let tooLong = await harness.fails("UpdateItem", ##"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET #n = :v","ExpressionAttributeNames":{"#n":"\##(long)"},"ExpressionAttributeValues":{":v":{"N":"2"}}}"##)
        #expect(tooLong == ("ValidationException", Self.longNameMessage))
        let projected = await harness.fails("GetItem", ##"{"TableName":"lim","Key":{"pk":{"S":"a"}},"ProjectionExpression":"#n","ExpressionAttributeNames":{"#n":""}}"##)
        #expect(projected.1 == "ExpressionAttributeNames contains invalid value: Empty attribute name for key #n")
        await expectUnchanged(harness)
    }

    @Test("key attribute names are limited to 255 bytes when the table is created", arguments: [255, 256])
    func keyNames(length: Int) async throws {
        let harness = try ServiceHarness()
        let name = String(repeating: "k", count: length)
        let body = #"{"TableName":"keys","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"\#(name)","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"\#(name)","AttributeType":"S"}]}"#
        if length <= 255 {
            await harness.ok("CreateTable", body)
            await harness.put("keys", #"{"\#(name)":{"S":"x"}}"#)
        } else {
            let (code, message) = await harness.fails("CreateTable", body)
            #expect(code == "ValidationException")
            #expect(message == "2 validation errors detected: "
                + "Value '\(name)' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255; "
                + "Value '\(name)' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255")
        }
    }

    // MARK: Transactions

    @Test("TransactGetItems may not name one item twice")
    func transactGetTwice() async throws {
        let harness = try await fixture()
        let get = #"{"Get":{"TableName":"lim","Key":{"pk":{"S":"a"}}}}"#
        let other = #"{"Get":{"TableName":"lim","Key":{"pk":{"S":"b"}},"ProjectionExpression":"v"}}"#
        let (code, message) = await harness.fails("TransactGetItems", #"{"TransactItems":[\#(get),\#(other),\#(get)]}"#)
        #expect(code == "ValidationException")
        #expect(message == "Transaction request cannot include multiple operations on one item")
        await harness.ok("TransactGetItems", #"{"TransactItems":[\#(get),\#(other)]}"#)
    }

    // MARK: Nesting

    /// `{"S":"x"}` inside `wraps` one-member maps: the string is at level `wraps + 1`.
    static func nested(_ wraps: Int) -> String {
        String(repeating: #"{"M":{"n":"#, count: wraps) + #"{"S":"x"}"# + String(repeating: "}}", count: wraps)
    }

    @Test("items nest at most 32 levels")
    func itemNesting() async throws {
        let harness = try await fixture()
        await harness.put("lim", #"{"pk":{"S":"deep"},"d":\#(Self.nested(31))}"#)
        let refused = await harness.fails("PutItem", #"{"TableName":"lim","Item":{"pk":{"S":"deeper"},"d":\#(Self.nested(32))}}"#)
        #expect(refused == ("ValidationException", Self.nestingMessage))
        #expect(await harness.get("lim", #"{"pk":{"S":"deeper"}}"#) == nil)
    }

    @Test("an update that would nest the item too deep is refused and changes nothing")
    func updateNesting() async throws {
        let harness = try await fixture()
        await harness.put("lim", #"{"pk":{"S":"a"},"v":{"N":"1"},"d":\#(Self.nested(20))}"#)
        let path = "d" + String(repeating: ".n", count: 12)  // level 13: a value there nesting 20 more reaches 33
        let body = #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET \#(path) = :deep, v = :two","ExpressionAttributeValues":{":deep":\#(Self.nested(20)),":two":{"N":"2"}}}"#
        #expect(await harness.fails("UpdateItem", body) == ("ValidationException", Self.nestingMessage))
        #expect(await harness.get("lim", #"{"pk":{"S":"a"}}"#)?["v"]?.scalar == "1")
        let fits = body.replacingOccurrences(of: Self.nested(20), with: Self.nested(19))
        await harness.ok("UpdateItem", fits)
        #expect(await harness.get("lim", #"{"pk":{"S":"a"}}"#)?["v"]?.scalar == "2")
    }

    @Test("a too deep value in ExpressionAttributeValues is named by its key")
    func valueNesting() async throws {
        let harness = try await fixture()
        let (_, message) = await harness.fails("UpdateItem", #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :deep","ExpressionAttributeValues":{":deep":\#(Self.nested(32))}}"#)
        #expect(message == "ExpressionAttributeValues contains invalid value: \(Self.nestingMessage) for key :deep")
        await expectUnchanged(harness)
    }

    @Test("document paths deeper than 32 levels are refused in every expression")
    func pathNesting() async throws {
        let harness = try await fixture()
        let path = "d" + String(repeating: ".n", count: 32)
        let requests = [
            ("GetItem", "ProjectionExpression", #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"ProjectionExpression":"\#(path)"}"#),
            ("UpdateItem", "UpdateExpression", #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"UpdateExpression":"REMOVE \#(path)"}"#),
            ("DeleteItem", "ConditionExpression", #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(\#(path))"}"#),
            ("Scan", "FilterExpression", #"{"TableName":"lim","FilterExpression":"attribute_not_exists(\#(path))"}"#),
        ]
        for (operation, expression, body) in requests {
            let (code, message) = await harness.fails(operation, body)
            #expect(code == "ValidationException", "\(operation)")
            #expect(message == "Invalid \(expression): The document path has too many nesting levels; nesting levels: 33", "\(operation)")
        }
        await expectUnchanged(harness)
        let fits = "d" + String(repeating: ".n", count: 31)
        await harness.ok("DeleteItem", #"{"TableName":"lim","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(\#(fits))"}"#)
    }
}
