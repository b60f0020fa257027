import Testing

@testable import NimbusDynamo

@Suite("Query and Scan")
struct QueryScanTests {
    /// Table `q`: pk S, sk N; items pk=a with sk -2…7 and pk=b with sk 1; `g` set on even sks.
    private func fixture() async throws -> ServiceHarness {
        let harness = try ServiceHarness()
        await harness.ok("CreateTable", #"""
            {"TableName":"qq1","BillingMode":"PAY_PER_REQUEST",
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
             "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
               {"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],
             "GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
             "LocalSecondaryIndexes":[{"IndexName":"byL","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}
            """#)
        for sk in -2...7 {
            let g = sk % 2 == 0 ? #","g":{"S":"even"}"# : ""
            await harness.put("qq1", #"{"pk":{"S":"a"},"sk":{"N":"\#(sk)"},"l":{"S":"l\#(9 - (sk + 2))"},"v":{"N":"\#(sk * 10)"}\#(g)}"#)
        }
        await harness.put("qq1", #"{"pk":{"S":"b"},"sk":{"N":"1"}}"#)
        return harness
    }

    private func sks(_ response: JSON) -> [String] {
        guard case .array(let items)? = response["Items"] else { return [] }
        return items.compactMap { $0["sk"]?.scalar }
    }

    private func query(_ harness: ServiceHarness, _ condition: String, _ values: String, extra: String = "") async -> JSON {
        await harness.ok("Query", #"{"TableName":"qq1","KeyConditionExpression":"\#(condition)","ExpressionAttributeValues":\#(values)\#(extra)}"#)
    }

    @Test("sort key conditions", arguments: [
        ("pk = :p", #"{":p":{"S":"a"}}"#, ["-2", "-1", "0", "1", "2", "3", "4", "5", "6", "7"]),
        ("pk = :p AND sk = :x", #"{":p":{"S":"a"},":x":{"N":"3.0"}}"#, ["3"]),
        ("pk = :p AND sk < :x", #"{":p":{"S":"a"},":x":{"N":"0"}}"#, ["-2", "-1"]),
        ("pk = :p AND sk <= :x", #"{":p":{"S":"a"},":x":{"N":"0"}}"#, ["-2", "-1", "0"]),
        ("pk = :p AND sk > :x", #"{":p":{"S":"a"},":x":{"N":"5.5"}}"#, ["6", "7"]),
        ("sk >= :x AND pk = :p", #"{":p":{"S":"a"},":x":{"N":"6"}}"#, ["6", "7"]),
        ("pk = :p AND sk BETWEEN :x AND :y", #"{":p":{"S":"a"},":x":{"N":"-1"},":y":{"N":"1"}}"#, ["-1", "0", "1"]),
        (":x < sk AND pk = :p", #"{":p":{"S":"a"},":x":{"N":"6"}}"#, ["7"]),
        ("(pk = :p) AND (sk > :x)", #"{":p":{"S":"b"},":x":{"N":"0"}}"#, ["1"]),
        ("pk = :p", #"{":p":{"S":"zzz"}}"#, []),
    ])
    func keyConditions(condition: String, values: String, expected: [String]) async throws {
        let harness = try await fixture()
        #expect(sks(await query(harness, condition, values)) == expected)
    }

    @Test("begins_with on a string sort key, through an LSI")
    func beginsWith() async throws {
        let harness = try await fixture()
        await harness.put("qq1", #"{"pk":{"S":"a"},"sk":{"N":"100"},"l":{"S":"m1"}}"#)
        let response = await harness.ok("Query", #"{"TableName":"qq1","IndexName":"byL","KeyConditionExpression":"pk = :p AND begins_with(l, :pre)","ExpressionAttributeValues":{":p":{"S":"a"},":pre":{"S":"l"}}}"#)
        #expect(response["Count"] == .number("10"))
        #expect(response["Items"]?[0]?["l"]?.scalar == "l0")
        #expect(response["Items"]?[0]?["v"] != nil)  // ALL projection
    }

    @Test("ScanIndexForward, Limit and pagination with LastEvaluatedKey")
    func pagination() async throws {
        let harness = try await fixture()
        var seen: [String] = []
        var start = ""
        var pages = 0
        repeat {
            let response = await query(harness, "pk = :p", #"{":p":{"S":"a"}}"#, extra: #","ScanIndexForward":false,"Limit":3\#(start)"#)
            seen += sks(response)
            pages += 1
            if let key = response["LastEvaluatedKey"] {
                start = #","ExclusiveStartKey":\#(String(decoding: JSONWriter.serialize(key), as: UTF8.self))"#
            } else {
                start = ""
            }
        } while !start.isEmpty && pages < 10
        #expect(seen == ["7", "6", "5", "4", "3", "2", "1", "0", "-1", "-2"])
        #expect(pages == 4)
    }

    @Test("FilterExpression: Count vs ScannedCount; Select COUNT; projection")
    func filters() async throws {
        let harness = try await fixture()
        let filtered = await query(harness, "pk = :p", #"{":p":{"S":"a"},":min":{"N":"40"}}"#, extra: #","FilterExpression":"v >= :min","ProjectionExpression":"sk""#)
        #expect(filtered["Count"] == .number("4"))
        #expect(filtered["ScannedCount"] == .number("10"))
        #expect(filtered["Items"]?[0] == .object(["sk": .object(["N": .string("4")])]))
        let counted = await query(harness, "pk = :p", #"{":p":{"S":"a"}}"#, extra: #","Select":"COUNT""#)
        #expect(counted["Count"] == .number("10"))
        #expect(counted["Items"] == nil)
        let onKey = await harness.fails("Query", #"{"TableName":"qq1","KeyConditionExpression":"pk = :p","FilterExpression":"sk > :p","ExpressionAttributeValues":{":p":{"S":"a"}}}"#)
        #expect(onKey.1 == "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk")
        let legacy = await harness.ok("Query", #"{"TableName":"qq1","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},"sk":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"5"}]}},"QueryFilter":{"v":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"65"}]}}}"#)
        #expect(sks(legacy) == ["7"])
    }

    @Test("global secondary index: sparse, keys only, no consistent reads")
    func gsi() async throws {
        let harness = try await fixture()
        let response = await harness.ok("Query", #"{"TableName":"qq1","IndexName":"byG","KeyConditionExpression":"g = :g AND sk > :z","ExpressionAttributeValues":{":g":{"S":"even"},":z":{"N":"0"}}}"#)
        #expect(sks(response) == ["2", "4", "6"])
        #expect(response["Items"]?[0]?.count == 3)  // pk, sk, g
        let consistent = await harness.fails("Query", #"{"TableName":"qq1","IndexName":"byG","ConsistentRead":true,"KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"even"}}}"#)
        #expect(consistent.1 == "Consistent reads are not supported on global secondary indexes")
        let page = await harness.ok("Query", #"{"TableName":"qq1","IndexName":"byG","Limit":2,"KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"even"}}}"#)
        let key = try #require(page["LastEvaluatedKey"])
        #expect(key.count == 3)
        let next = await harness.ok("Query", #"{"TableName":"qq1","IndexName":"byG","ExclusiveStartKey":\#(String(decoding: JSONWriter.serialize(key), as: UTF8.self)),"KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"even"}}}"#)
        #expect(sks(next) == ["2", "4", "6"])
        // Changing the indexed attribute moves the item in the index.
        await harness.ok("UpdateItem", #"{"TableName":"qq1","Key":{"pk":{"S":"a"},"sk":{"N":"2"}},"UpdateExpression":"REMOVE g"}"#)
        let after = await harness.ok("Query", #"{"TableName":"qq1","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"even"}}}"#)
        #expect(sks(after) == ["-2", "0", "4", "6"])
    }

    @Test("key condition errors", arguments: [
        ("sk = :n", "Query condition missed key schema element: pk"),
        ("pk > :p", "Query key condition not supported"),
        ("pk = :p OR sk = :n", "Invalid operator used in KeyConditionExpression: OR"),
        ("pk = :p AND sk <> :n", "Invalid operator used in KeyConditionExpression: <>"),
        ("pk = :p AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
        ("pk = :p AND v = :n", "Query condition missed key schema element: sk"),
        ("pk = :p AND sk = :n AND sk > :n", "Conditions can be of length 1 or 2 only"),
        ("pk = :p AND pk = :p", "KeyConditionExpressions must only contain one condition per key"),
        ("pk = :n", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("pk = :p AND begins_with(sk, :p)", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("pk = :p AND sk = ", #"Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "=""#),
    ])
    func keyConditionErrors(condition: String, message: String) async throws {
        let harness = try await fixture()
        let values = #"{":p":{"S":"a"},":n":{"N":"1"}}"#
        let body = #"{"TableName":"qq1","KeyConditionExpression":"\#(condition)","ExpressionAttributeValues":\#(values)}"#
        let response = await harness.call("Query", body)
        #expect(response.errorType == "ValidationException")
        #expect(response.message == message)
    }

    @Test("Query requires a key condition and a known index")
    func queryRequirements() async throws {
        let harness = try await fixture()
        #expect(await harness.fails("Query", #"{"TableName":"qq1"}"#).1 == "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        #expect(await harness.fails("Query", #"{"TableName":"qq1","IndexName":"nope","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}"#).1 == "The table does not have the specified index: nope")
        #expect(await harness.fails("Query", #"{"TableName":"qq1","Limit":0,"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}"#).1 == "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    }

    @Test("Scan: filters, pagination, parallel segments")
    func scan() async throws {
        let harness = try await fixture()
        let all = await harness.ok("Scan", #"{"TableName":"qq1"}"#)
        #expect(all["Count"] == .number("11"))
        let filtered = await harness.ok("Scan", #"{"TableName":"qq1","FilterExpression":"attribute_exists(g) AND sk >= :z","ExpressionAttributeValues":{":z":{"N":"0"}}}"#)
        #expect(filtered["Count"] == .number("4"))
        #expect(filtered["ScannedCount"] == .number("11"))
        var total = 0
        for segment in 0..<3 {
            var start = ""
            repeat {
                let page = await harness.ok("Scan", #"{"TableName":"qq1","Segment":\#(segment),"TotalSegments":3,"Limit":2\#(start)}"#)
                total += page["Count"]?.numberText.flatMap(Int.init) ?? 0
                start = page["LastEvaluatedKey"].map { #","ExclusiveStartKey":\#(String(decoding: JSONWriter.serialize($0), as: UTF8.self))"# } ?? ""
            } while !start.isEmpty
        }
        #expect(total == 11)
        #expect(await harness.fails("Scan", #"{"TableName":"qq1","Segment":3,"TotalSegments":3}"#).1 == "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3")
        #expect(await harness.fails("Scan", #"{"TableName":"qq1","Segment":1}"#).1 == "The TotalSegments parameter is required but was not present in the request when parameter Segment is present")
        let index = await harness.ok("Scan", #"{"TableName":"qq1","IndexName":"byG"}"#)
        #expect(index["Count"] == .number("5"))
        let legacy = await harness.ok("Scan", #"{"TableName":"qq1","ScanFilter":{"v":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"10"},{"N":"20"}]}}}"#)
        #expect(legacy["Count"] == .number("2"))
    }

    @Test("a page stops at 1 MB")
    func pageSize() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("big", sortKeyType: "N")
        let blob = String(repeating: "x", count: 300 * 1024)
        for i in 0..<5 { await harness.put("big", #"{"pk":{"S":"a"},"sk":{"N":"\#(i)"},"d":{"S":"\#(blob)"}}"#) }
        let first = await harness.ok("Query", #"{"TableName":"big","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Select":"COUNT"}"#)
        #expect(first["ScannedCount"] == .number("4"))
        #expect(first["LastEvaluatedKey"]?["sk"]?.scalar == "3")
        let scan = await harness.ok("Scan", #"{"TableName":"big","Select":"COUNT"}"#)
        #expect(scan["ScannedCount"] == .number("4"))
    }
}
