/// DynamoDB's JSON error shape: `{"__type": "<namespace>#<Code>", "message": "…"}` plus the extra
/// members of ConditionalCheckFailedException (`Item`) and TransactionCanceledException
/// (`CancellationReasons`, and a capitalised `Message`, as DynamoDB sends it).
extension DynamoError: CustomStringConvertible {
    var typeName: String { "\(code.namespace)#\(code.rawValue)" }

    var description: String { "\(code.rawValue): \(message)" }

    var responseBody: [UInt8] {
        var fields: [String: JSON] = ["__type": .string(typeName)]
        if let reasons = cancellationReasons {
            fields["Message"] = .string(message)
            fields["CancellationReasons"] = .array(reasons.map { reason in
                var entry: [String: JSON] = ["Code": .string(reason.code)]
                if let message = reason.message { entry["Message"] = .string(message) }
                if let item = reason.item { entry["Item"] = .raw(DynamoEngine.encode(item)) }
                return .object(entry)
            })
        } else {
            fields["message"] = .string(message)
        }
        if let item { fields["Item"] = .raw(DynamoEngine.encode(item)) }
        return JSONWriter.serialize(.object(fields))
    }
}
