/// TagResource / UntagResource / ListTagsOfResource on table ARNs.
extension DynamoEngine {
    func schema(forARN request: RequestFields) throws(DynamoError) -> TableSchema {
        guard let arn = try request.string("ResourceArn") else {
            throw .constraints(["Value null at 'resourceArn' failed to satisfy constraint: Member must not be null"])
        }
        guard let range = arn.range(of: ":table/") else { throw .validation("Invalid TableArn: Invalid ResourceArn provided as input \(arn)") }
        let name = String(arn[range.upperBound...].prefix { $0 != "/" })
        guard let schema = tables[name] else { throw DynamoError(.resourceNotFound, "Requested resource not found: ResourcArn: \(arn) not found") }
        return schema
    }

    func tagResource(_ request: RequestFields) throws(DynamoError) -> JSON {
        var schema = try schema(forARN: request)
        for raw in try request.array("Tags") ?? [] {
            let tag = try RequestFields(json: raw)
            let key = try tag.string("Key") ?? ""
            let value = try tag.string("Value") ?? ""
            schema.tags.removeAll { $0.key == key }
            schema.tags.append((key, value))
        }
        try saveCatalog(schema)
        return .object([:])
    }

    func untagResource(_ request: RequestFields) throws(DynamoError) -> JSON {
        var schema = try schema(forARN: request)
        let keys = Set(try request.stringArray("TagKeys") ?? [])
        schema.tags.removeAll { keys.contains($0.key) }
        try saveCatalog(schema)
        return .object([:])
    }

    func listTagsOfResource(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(forARN: request)
        return .object(["Tags": .array(schema.tags.map { .object(["Key": .string($0.key), "Value": .string($0.value)]) })])
    }
}
