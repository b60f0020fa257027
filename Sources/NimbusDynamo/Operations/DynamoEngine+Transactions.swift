internal import Crypto

extension DynamoEngine {
    static let maximumTransactItems = 100
    /// How long a ClientRequestToken makes a TransactWriteItems call idempotent (AWS: 10 minutes).
    static let idempotencyWindow = 600.0

    func transactWriteItems(_ request: RequestFields) throws(DynamoError) -> JSON {
        let entries = try transactEntries(request)
        let token = try clientRequestToken(request)
        var writes: [TransactWrite] = []
        var targets = TransactionTargets()
        for (i, raw) in entries.enumerated() {
            let entry = try RequestFields(json: raw)
            let present = ["ConditionCheck", "Put", "Delete", "Update"].filter(entry.has)
            guard present.count == 1, let operation = present.first, let fields = try entry.structure(operation) else {
                throw .validation("TransactItems can only contain one of Check, Put, Update or Delete")
            }
            let write = try transactWrite(operation, fields, member: "transactItems.\(i + 1).member")
            try targets.claim(write.identity)
            writes.append(write)
        }
        let digest = token.map { _ in Array(SHA256.hash(data: JSONWriter.canonical(.array(entries)))) }
        try commitTransaction(writes, token: token, digest: digest) { error in
            CancellationReason(
                code: error.code == .conditionalCheckFailed ? error.code.statementCode : error.code.rawValue,
                message: error.message, item: error.item)
        }
        return .object([:])
    }

    /// Applies `writes` all or nothing. A failing write cancels the transaction with one
    /// CancellationReason per write (`reason` names the failure in the caller's dialect). With a
    /// ClientRequestToken, a repeat of the same request within the idempotency window succeeds
    /// without applying anything, and a different request with the same token fails.
    func commitTransaction(
        _ writes: [TransactWrite], token: String?, digest: [UInt8]?, reason: (DynamoError) -> CancellationReason
    ) throws(DynamoError) {
        try transaction { () throws(DynamoError) in
            if let token, let digest {
                let previous = try sql { () throws(SQLiteError) in try store.token(token, notBefore: now() - Self.idempotencyWindow) }
                if let previous {
                    guard previous == digest else {
                        throw DynamoError(.idempotentParameterMismatch, "The request uses the same client token as a previous, but non-identical request.")
                    }
                    return  // Already applied: succeed without applying twice.
                }
            }
            var reasons: [CancellationReason] = []
            var results: [(TransactWrite, Item?, Item?)] = []
            var failed = false
            for write in writes {
                let old = try loadItem(write.schema, key: write.key)
                do throws(DynamoError) {
                    let new = try outcome(of: write, old: old)
                    if !write.isCheck { results.append((write, old, new)) }
                    reasons.append(.none)
                } catch {
                    reasons.append(reason(error))
                    failed = true
                }
            }
            if failed {
                let codes = reasons.map(\.code).joined(separator: ", ")
                throw DynamoError(
                    .transactionCanceled, "Transaction cancelled, please refer cancellation reasons for specific reasons [\(codes)]",
                    cancellationReasons: reasons)
            }
            for (write, old, new) in results where old != nil || new != nil {
                try storeItem(write.schema, key: write.key, old: old, new: new)
            }
            if let token, let digest {
                try sql { () throws(SQLiteError) in try store.saveToken(token, digest: digest, created: now()) }
            }
        }
    }

    /// `ClientRequestToken`, checked.
    func clientRequestToken(_ request: RequestFields) throws(DynamoError) -> String? {
        let token = try request.string("ClientRequestToken")
        var check = ConstraintCheck()
        if let token, token.isEmpty || token.utf8.count > 36 {
            check.fail(token, at: "clientRequestToken", "Member must have length less than or equal to 36")
        }
        try check.check()
        return token
    }

    private func transactEntries(_ request: RequestFields) throws(DynamoError) -> [JSON] {
        try request.boundedArray("TransactItems", member: "transactItems", maximum: Self.maximumTransactItems)
    }

    private func transactWrite(_ operation: String, _ fields: RequestFields, member: String) throws(DynamoError) -> TransactWrite {
        let tableName = try fields.tableName()
        let schema = try schema(tableName)
        let returnOldOnFailure = try returnValuesOnFailure(fields)
        var context = try expressionContext(fields)
        switch operation {
        case "Put":
            guard let item = try fields.item("Item") else {
                throw .constraints(["Value null at '\(member).put.item' failed to satisfy constraint: Member must not be null"])
            }
            let key = try schema.storageKey(ofItem: item)
            try schema.validateIndexKeys(of: item)
            _ = try TableSchema.checkSize(item)
            let condition = try condition(fields, key: "ConditionExpression", kind: .condition, legacyKey: nil, &context)
            try checkExpressionParameters(fields, context, expressions: ["ConditionExpression"])
            return TransactWrite(kind: .put(item), schema: schema, key: key, keyItem: schema.key.key(of: item), condition: condition, returnOldOnFailure: returnOldOnFailure)
        case "Update":
            guard let keyItem = try fields.item("Key") else {
                throw .constraints(["Value null at '\(member).update.key' failed to satisfy constraint: Member must not be null"])
            }
            guard fields.has("UpdateExpression") else {
                throw .constraints(["Value null at '\(member).update.updateExpression' failed to satisfy constraint: Member must not be null"])
            }
            let key = try schema.storageKey(forKey: keyItem)
            let actions = try updateActions(fields, schema: schema, &context)
            let condition = try condition(fields, key: "ConditionExpression", kind: .condition, legacyKey: nil, &context)
            try checkExpressionParameters(fields, context, expressions: ["UpdateExpression", "ConditionExpression"])
            return TransactWrite(kind: .update(actions), schema: schema, key: key, keyItem: keyItem, condition: condition, returnOldOnFailure: returnOldOnFailure)
        default:
            let lower = operation == "Delete" ? "delete" : "conditionCheck"
            guard let keyItem = try fields.item("Key") else {
                throw .constraints(["Value null at '\(member).\(lower).key' failed to satisfy constraint: Member must not be null"])
            }
            let key = try schema.storageKey(forKey: keyItem)
            if operation == "ConditionCheck", !fields.has("ConditionExpression") {
                throw .constraints(["Value null at '\(member).conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null"])
            }
            let condition = try condition(fields, key: "ConditionExpression", kind: .condition, legacyKey: nil, &context)
            try checkExpressionParameters(fields, context, expressions: ["ConditionExpression"])
            return TransactWrite(
                kind: operation == "Delete" ? .delete : .check, schema: schema, key: key, keyItem: keyItem,
                condition: condition, returnOldOnFailure: returnOldOnFailure)
        }
    }

    func transactGetItems(_ request: RequestFields) throws(DynamoError) -> JSON {
        let entries = try transactEntries(request)
        var gets: [(TableSchema, StorageKey, Projection?)] = []
        var targets = TransactionTargets()
        for (i, raw) in entries.enumerated() {
            let entry = try RequestFields(json: raw)
            guard let fields = try entry.structure("Get") else {
                throw .constraints(["Value null at 'transactItems.\(i + 1).member.get' failed to satisfy constraint: Member must not be null"])
            }
            let schema = try schema(try fields.tableName())
            guard let keyItem = try fields.item("Key") else {
                throw .constraints(["Value null at 'transactItems.\(i + 1).member.get.key' failed to satisfy constraint: Member must not be null"])
            }
            let key = try schema.storageKey(forKey: keyItem)
            var context = try expressionContext(fields)
            let projection = try projection(fields, &context)
            try checkExpressionParameters(fields, context, expressions: ["ProjectionExpression"])
            try targets.claim(TransactWrite.identity(table: schema, key: key))
            gets.append((schema, key, projection))
        }
        var responses: [JSON] = []
        for (schema, key, projection) in gets {
            guard let raw = try sql({ () throws(SQLiteError) in try store.item(table: schema.id, key: key) }) else {
                responses.append(.object([:]))
                continue
            }
            let item: JSON = if let projection { .raw(Self.encode(projection.apply(to: try decodeStored(raw)))) } else { .raw(raw) }
            responses.append(.object(["Item": item]))
        }
        return .object(["Responses": .array(responses)])
    }
}
