import Foundation

/// The DynamoDB Streams API (`DynamoDBStreams_20120810.*`): ListStreams, DescribeStream,
/// GetShardIterator and GetRecords over the records `storeItem` writes. Each table with an enabled
/// stream has one stream with one shard that never closes; records are kept 24 hours.
///
/// A shard iterator is `<stream ARN>|<last sequence number read>|<issued, epoch seconds>`: opaque to
/// clients, valid 15 minutes, as DynamoDB's.
extension DynamoEngine {
    static let streamOperations: [String: Operation] = [
        "ListStreams": { $0.listStreams },
        "DescribeStream": { $0.describeStream },
        "GetShardIterator": { $0.getShardIterator },
        "GetRecords": { $0.getRecords },
    ]

    static let streamRetention: Double = 24 * 60 * 60
    static let iteratorLifetime: Double = 15 * 60

    func listStreams(_ request: RequestFields) throws(DynamoError) -> JSON {
        let tableName = try request.string("TableName")
        let limit = try request.integer("Limit") ?? 100
        guard (1...100).contains(limit) else {
            throw .constraints(["Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"])
        }
        if let tableName, tables[tableName] == nil { throw .tableNotFound(tableName) }
        let start = try request.string("ExclusiveStartStreamArn")
        let streams = tables.values.filter { $0.streamViewType != nil && (tableName == nil || $0.name == tableName) }
            .sorted { $0.streamArn < $1.streamArn }
            .filter { start == nil || $0.streamArn > start! }
        var response: [String: JSON] = [
            "Streams": .array(streams.prefix(limit).map { schema in
                .object([
                    "StreamArn": .string(schema.streamArn), "TableName": .string(schema.name),
                    "StreamLabel": .string(schema.streamLabel),
                ])
            })
        ]
        if streams.count > limit { response["LastEvaluatedStreamArn"] = .string(streams[limit - 1].streamArn) }
        return .object(response)
    }

    func describeStream(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try streamTable(request)
        let bounds = try sql { () throws(SQLiteError) in try store.streamBounds(table: schema.id) }
        let shard: JSON = .object([
            "ShardId": .string(Self.shardID(schema)),
            "SequenceNumberRange": .object([
                "StartingSequenceNumber": .string(StreamRecord.sequenceText(bounds.oldest ?? bounds.newest + 1))
            ]),
        ])
        let exclusiveStart = try request.string("ExclusiveStartShardId")
        return .object([
            "StreamDescription": .object([
                "StreamArn": .string(schema.streamArn),
                "StreamLabel": .string(schema.streamLabel),
                "StreamStatus": .string("ENABLED"),
                "StreamViewType": .string(schema.streamViewType!.rawValue),
                "CreationRequestDateTime": .double(schema.creationDate),
                "TableName": .string(schema.name),
                "KeySchema": schema.key.json,
                "Shards": .array(exclusiveStart == Self.shardID(schema) ? [] : [shard]),
            ])
        ])
    }

    func getShardIterator(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try streamTable(request)
        guard try request.string("ShardId") == Self.shardID(schema) else {
            throw DynamoError(.resourceNotFound, "Requested resource not found: Shard does not exist")
        }
        let type = try request.string("ShardIteratorType") ?? ""
        let sequence = try request.string("SequenceNumber")
        let after: Int64
        switch type {
        case "TRIM_HORIZON", "LATEST":
            guard sequence == nil else {
                throw .validation("Invalid Request: Sequence number must not be specified for \(type) iterator type")
            }
            after = type == "LATEST" ? try sql { () throws(SQLiteError) in try store.streamBounds(table: schema.id).newest } : 0
        case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
            guard let sequence, let number = Int64(sequence), number > 0 else {
                throw .validation("Invalid Request: A valid sequence number must be specified for \(type) iterator type")
            }
            after = type == "AT_SEQUENCE_NUMBER" ? number - 1 : number
        default:
            throw .constraints([
                "Value '\(type)' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"
            ])
        }
        return .object(["ShardIterator": .string(Self.iterator(schema.streamArn, after: after, issued: now()))])
    }

    func getRecords(_ request: RequestFields) throws(DynamoError) -> JSON {
        guard let text = try request.string("ShardIterator"), let iterator = Self.parseIterator(text) else {
            throw .validation("Invalid ShardIterator")
        }
        let now = self.now()
        // An iterator from the future was not made here.
        guard iterator.issued <= now + 60 else { throw .validation("Invalid ShardIterator") }
        guard now - iterator.issued <= Self.iteratorLifetime else {
            throw DynamoError(
                .expiredIterator,
                "Iterator expired. The iterator was created at time \(Int64(iterator.issued)) while right now it is \(Int64(now)) which is further in the future than the tolerated delta of \(Int64(Self.iteratorLifetime * 1000)) milliseconds."
            )
        }
        let limit = try request.integer("Limit") ?? 1000
        guard (1...1000).contains(limit) else {
            throw .constraints(["Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000"])
        }
        guard let schema = streamTable(arn: iterator.arn) else { throw Self.streamNotFound(iterator.arn) }
        let records = try sql { () throws(SQLiteError) in
            try store.streamRecords(table: schema.id, after: iterator.after, limit: limit)
        }
        let last = records.last?.sequence ?? iterator.after
        return .object([
            "Records": .array(records.map { $0.json(region: TableSchema.region) }),
            "NextShardIterator": .string(Self.iterator(schema.streamArn, after: last, issued: now)),
        ])
    }

    private func streamTable(_ request: RequestFields) throws(DynamoError) -> TableSchema {
        let arn = try request.string("StreamArn") ?? ""
        guard let schema = streamTable(arn: arn) else { throw Self.streamNotFound(arn) }
        return schema
    }

    private func streamTable(arn: String) -> TableSchema? {
        tables.values.first { $0.streamViewType != nil && $0.streamArn == arn }
    }

    private static func streamNotFound(_ arn: String) -> DynamoError {
        DynamoError(.resourceNotFound, "Requested resource not found: Stream: \(arn) not found")
    }

    static func shardID(_ schema: TableSchema) -> String {
        "shardId-" + String(format: "%020lld", Int64(schema.creationDate * 1000)) + "-" + String(format: "%08llx", schema.id)
    }

    static func iterator(_ arn: String, after: Int64, issued: Double) -> String {
        "\(arn)|\(after)|\(Int64(issued))"
    }

    static func parseIterator(_ text: String) -> (arn: String, after: Int64, issued: Double)? {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, let after = Int64(parts[1]), after >= 0, let issued = Int64(parts[2]) else { return nil }
        return (String(parts[0]), after, Double(issued))
    }
}
