/// The CloudFormation resource types Nimbus reads; every other type is reported and ignored.
enum ResourceType {
    static let serverlessFunction = "AWS::Serverless::Function"
    static let serverlessLayer = "AWS::Serverless::LayerVersion"
    static let lambdaLayer = "AWS::Lambda::LayerVersion"
    static let dynamoTable = "AWS::DynamoDB::Table"
    static let simpleTable = "AWS::Serverless::SimpleTable"
    static let bucket = "AWS::S3::Bucket"

    static let supported: Set<String> = [serverlessFunction, serverlessLayer, lambdaLayer, dynamoTable, simpleTable, bucket]

    static func isFunction(_ type: String) -> Bool { type == serverlessFunction }
    static func isLayer(_ type: String) -> Bool { type == serverlessLayer || type == lambdaLayer }
    static func isTable(_ type: String) -> Bool { type == dynamoTable || type == simpleTable }
}
