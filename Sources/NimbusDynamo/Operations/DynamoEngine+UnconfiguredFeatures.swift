/// Features Nimbus never configures (Kinesis streaming, Contributor Insights, replicas and global
/// tables, resource policies, backups, exports, imports) read back as DynamoDB reads a table that
/// has none of them, so tools that read a table's whole state (Terraform's refresh, NoSQL
/// Workbench, dynamodb-admin) work. Writing them stays UnknownOperationException.
extension DynamoEngine {
    static let unconfiguredFeatureReads: Set<String> = [
        "DescribeKinesisStreamingDestination", "DescribeContributorInsights", "ListContributorInsights",
        "DescribeTableReplicaAutoScaling", "GetResourcePolicy", "ListBackups", "ListGlobalTables", "ListExports",
        "ListImports",
    ]

    func describeKinesisStreamingDestination(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        return .object(["TableName": .string(schema.name), "KinesisDataStreamDestinations": .array([])])
    }

    func describeContributorInsights(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        var answer: [String: JSON] = ["TableName": .string(schema.name), "ContributorInsightsStatus": .string("DISABLED")]
        if let index = try request.string("IndexName") {
            guard schema.index(named: index) != nil else {
                throw DynamoError(.resourceNotFound, "Requested resource not found: Index: \(index) not found")
            }
            answer["IndexName"] = .string(index)
        }
        return .object(answer)
    }

    func listContributorInsights(_ request: RequestFields) throws(DynamoError) -> JSON {
        if let name = try request.string("TableName") { _ = try schema(name, describing: true) }
        return .object(["ContributorInsightsSummaries": .array([])])
    }

    func describeTableReplicaAutoScaling(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(try request.tableName(), describing: true)
        return .object([
            "TableAutoScalingDescription": .object([
                "TableName": .string(schema.name), "TableStatus": .string("ACTIVE"), "Replicas": .array([]),
            ])
        ])
    }

    func getResourcePolicy(_ request: RequestFields) throws(DynamoError) -> JSON {
        let schema = try schema(forARN: request)
        throw DynamoError(.policyNotFound, "Resource-based policy not found for the provided ResourceArn: \(schema.arn)")
    }
}
