import Testing

@testable import NimbusDynamo

@Suite("Batches and transactions")
struct BatchTransactionTests {
    @Test("BatchWriteItem and BatchGetItem; Unprocessed members are always present")
    func batches() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("bt1")
        await harness.createTable("bt2")
        let written = await harness.ok("BatchWriteItem", #"""
            {"RequestItems":{"bt1":[{"PutRequest":{"Item":{"pk":{"S":"x"},"v":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"y"}}}}],
                             "bt2":[{"PutRequest":{"Item":{"pk":{"S":"z"}}}}]}}
            """#)
        #expect(written == .object(["UnprocessedItems": .object([:])]))
        let read = await harness.ok("BatchGetItem", #"""
            {"RequestItems":{"bt1":{"Keys":[{"pk":{"S":"x"}},{"pk":{"S":"missing"}}],"ProjectionExpression":"v"},"bt2":{"Keys":[{"pk":{"S":"z"}}]}}}
            """#)
        #expect(read["UnprocessedKeys"] == .object([:]))
        #expect(read["Responses"]?["bt1"] == .array([.object(["v": .object(["N": .string("1")])])]))
        #expect(read["Responses"]?["bt2"]?.count == 1)
        await harness.ok("BatchWriteItem", #"{"RequestItems":{"bt1":[{"DeleteRequest":{"Key":{"pk":{"S":"x"}}}}]}}"#)
        #expect(await harness.get("bt1", #"{"pk":{"S":"x"}}"#) == nil)
    }

    @Test("batch validation")
    func batchValidation() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("bt1")
        let duplicate = await harness.fails("BatchWriteItem", #"{"RequestItems":{"bt1":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"x"}}}}]}}"#)
        #expect(duplicate.1 == "Provided list of item keys contains duplicates")
        let puts = (0..<26).map { #"{"PutRequest":{"Item":{"pk":{"S":"k\#($0)"}}}}"# }.joined(separator: ",")
        #expect(await harness.fails("BatchWriteItem", #"{"RequestItems":{"bt1":[\#(puts)]}}"#).0 == "ValidationException")
        #expect(await harness.get("bt1", #"{"pk":{"S":"k0"}}"#) == nil)
        let keys = (0..<101).map { #"{"pk":{"S":"k\#($0)"}}"# }.joined(separator: ",")
        #expect(await harness.fails("BatchGetItem", #"{"RequestItems":{"bt1":{"Keys":[\#(keys)]}}}"#).1 == "Too many items requested for the BatchGetItem call")
        #expect(await harness.fails("BatchGetItem", #"{"RequestItems":{"nope":{"Keys":[{"pk":{"S":"a"}}]}}}"#).0 == "ResourceNotFoundException")
        #expect(await harness.fails("BatchGetItem", #"{"RequestItems":{"bt1":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"a"}}]}}}"#).1 == "Provided list of item keys contains duplicates")
    }

    static let transfer = #"""
        {"TransactItems":[
          {"Update":{"TableName":"acct","Key":{"pk":{"S":"alice"}},"UpdateExpression":"SET bal = bal - :amt","ConditionExpression":"bal >= :amt","ExpressionAttributeValues":{":amt":{"N":"30"}}}},
          {"Update":{"TableName":"acct","Key":{"pk":{"S":"bob"}},"UpdateExpression":"SET bal = bal + :amt","ExpressionAttributeValues":{":amt":{"N":"30"}}}},
          {"Put":{"TableName":"acct","Item":{"pk":{"S":"log"},"n":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"}},
          {"ConditionCheck":{"TableName":"acct","Key":{"pk":{"S":"bank"}},"ConditionExpression":"attribute_exists(pk)"}}
        ]}
        """#

    @Test("TransactWriteItems commits all or nothing, with CancellationReasons")
    func transactWrite() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("acct")
        await harness.put("acct", #"{"pk":{"S":"alice"},"bal":{"N":"50"}}"#)
        await harness.put("acct", #"{"pk":{"S":"bob"},"bal":{"N":"0"}}"#)
        await harness.put("acct", #"{"pk":{"S":"bank"}}"#)
        await harness.ok("TransactWriteItems", Self.transfer)
        #expect(await harness.get("acct", #"{"pk":{"S":"alice"}}"#)?["bal"]?.scalar == "20")
        #expect(await harness.get("acct", #"{"pk":{"S":"bob"}}"#)?["bal"]?.scalar == "30")

        // Second run: alice's balance and the log item both fail their conditions.
        let response = await harness.call("TransactWriteItems", Self.transfer)
        #expect(response.errorType == "TransactionCanceledException")
        #expect(response.message == "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, ConditionalCheckFailed, None]")
        #expect(response.json["CancellationReasons"]?[0]?["Code"] == .string("ConditionalCheckFailed"))
        #expect(response.json["CancellationReasons"]?[1]?["Code"] == .string("None"))
        #expect(await harness.get("acct", #"{"pk":{"S":"bob"}}"#)?["bal"]?.scalar == "30")
    }

    @Test("a failing update in a transaction cancels it with a ValidationError reason")
    func transactValidationReason() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("acct")
        await harness.put("acct", #"{"pk":{"S":"a"},"s":{"S":"x"}}"#)
        let response = await harness.call("TransactWriteItems", #"""
            {"TransactItems":[{"Put":{"TableName":"acct","Item":{"pk":{"S":"new"}}}},
              {"Update":{"TableName":"acct","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET s = s + :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]}
            """#)
        #expect(response.errorType == "TransactionCanceledException")
        #expect(response.json["CancellationReasons"]?[1]?["Code"] == .string("ValidationException"))
        #expect(await harness.get("acct", #"{"pk":{"S":"new"}}"#) == nil)
    }

    @Test("ReturnValuesOnConditionCheckFailure in transactions")
    func transactReturnOld() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("acct")
        await harness.put("acct", #"{"pk":{"S":"a"},"v":{"N":"1"}}"#)
        let response = await harness.call("TransactWriteItems", #"{"TransactItems":[{"ConditionCheck":{"TableName":"acct","Key":{"pk":{"S":"a"}},"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]}"#)
        #expect(response.json["CancellationReasons"]?[0]?["Item"]?["v"]?.scalar == "1")
    }

    @Test("transaction validation")
    func transactValidation() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("acct")
        let twice = await harness.fails("TransactWriteItems", #"{"TransactItems":[{"Put":{"TableName":"acct","Item":{"pk":{"S":"a"}}}},{"Delete":{"TableName":"acct","Key":{"pk":{"S":"a"}}}}]}"#)
        #expect(twice.1 == "Transaction request cannot include multiple operations on one item")
        let both = await harness.fails("TransactWriteItems", #"{"TransactItems":[{"Put":{"TableName":"acct","Item":{"pk":{"S":"a"}}},"Delete":{"TableName":"acct","Key":{"pk":{"S":"a"}}}}]}"#)
        #expect(both.1 == "TransactItems can only contain one of Check, Put, Update or Delete")
        let missing = await harness.fails("TransactWriteItems", #"{"TransactItems":[{"Put":{"TableName":"nope","Item":{"pk":{"S":"a"}}}}]}"#)
        #expect(missing.0 == "ResourceNotFoundException")
        let empty = await harness.fails("TransactWriteItems", #"{"TransactItems":[]}"#)
        #expect(empty.0 == "ValidationException")
    }

    @Test("ClientRequestToken makes TransactWriteItems idempotent")
    func idempotency() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("acct")
        let body = #"{"ClientRequestToken":"tok-1","TransactItems":[{"Update":{"TableName":"acct","Key":{"pk":{"S":"c"}},"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}"#
        await harness.ok("TransactWriteItems", body)
        await harness.ok("TransactWriteItems", body)
        #expect(await harness.get("acct", #"{"pk":{"S":"c"}}"#)?["n"]?.scalar == "1")
        let changed = body.replacingOccurrences(of: #""N":"1""#, with: #""N":"2""#)
        #expect(await harness.fails("TransactWriteItems", changed).0 == "IdempotentParameterMismatchException")
        harness.now += 601
        await harness.ok("TransactWriteItems", body)
        #expect(await harness.get("acct", #"{"pk":{"S":"c"}}"#)?["n"]?.scalar == "2")
    }

    @Test("TransactGetItems")
    func transactGet() async throws {
        let harness = try ServiceHarness()
        await harness.createTable("acct")
        await harness.put("acct", #"{"pk":{"S":"a"},"v":{"N":"1"},"w":{"N":"2"}}"#)
        let response = await harness.ok("TransactGetItems", #"{"TransactItems":[{"Get":{"TableName":"acct","Key":{"pk":{"S":"a"}},"ProjectionExpression":"v"}},{"Get":{"TableName":"acct","Key":{"pk":{"S":"zz"}}}}]}"#)
        #expect(response["Responses"]?[0] == .object(["Item": .object(["v": .object(["N": .string("1")])])]))
        #expect(response["Responses"]?[1] == .object([:]))
    }
}
