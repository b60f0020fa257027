import NimbusCore
import NimbusTemplate
import Testing

/// Every intrinsic function, short (`!Sub`) and long (`Fn::Sub:`) form, evaluated into an
/// environment variable of a function in a template with one resource of each kind.
struct IntrinsicTests {
    static func template(value: String) -> String {
        """
        Parameters:
          Stage: {Type: String, Default: dev}
          Names: {Type: CommaDelimitedList, Default: "a, b,c"}
          Count: {Type: Number, Default: 3}
        Mappings:
          Config:
            dev: {Memory: 512, Zones: [x, y]}
        Conditions:
          IsDev: !Equals [!Ref Stage, dev]
          IsProd: !Not [!Condition IsDev]
        Resources:
        \(echoFunction("FunctionName: lambda-echo\nEnvironment:\n  Variables:\n    VALUE: \(value)\n    OTHER: kept"))
          Items:
            Type: AWS::DynamoDB::Table
            Properties: {TableName: items-table, KeySchema: [{AttributeName: id, KeyType: HASH}]}
          Files:
            Type: AWS::S3::Bucket
          Shared:
            Type: AWS::Serverless::LayerVersion
            Properties: {ContentUri: layers/common, LayerName: shared}
          Queue:
            Type: AWS::SQS::Queue
        """
    }

    static func value(of expression: String, loader: TemplateLoader = TemplateLoader()) throws -> String? {
        try load(template(value: expression), loader: loader).functions.first?.environment["VALUE"]
    }

    static let cases: [(String, String)] = [
        ("!Ref Stage", "dev"),
        ("{Ref: Stage}", "dev"),
        ("!Ref Count", "3"),
        ("!Ref AWS::Region", "us-east-1"),
        ("!Ref AWS::AccountId", "000000000000"),
        ("!Ref AWS::StackName", "nimbus"),
        ("!Ref AWS::Partition", "aws"),
        ("!Ref AWS::URLSuffix", "amazonaws.com"),
        ("!Ref AWS::StackId", "arn:aws:cloudformation:us-east-1:000000000000:stack/nimbus/00000000-0000-0000-0000-000000000000"),
        ("!Ref Echo", "lambda-echo"),
        ("!Ref Items", "items-table"),
        ("!Ref Files", "files"),
        ("!Ref Shared", Fixtures.commonLayer),
        ("!Ref Queue", "Queue"),
        ("!Ref ServerlessRestApi", "ServerlessRestApi"),
        ("!Sub \"${Stage}-${AWS::Region}\"", "dev-us-east-1"),
        ("{\"Fn::Sub\": \"${Echo}:${Count}\"}", "lambda-echo:3"),
        ("!Sub \"${Items.Arn}\"", "arn:aws:dynamodb:us-east-1:000000000000:table/items-table"),
        ("!Sub \"${!Literal}-${ Stage }\"", "${Literal}-dev"),
        ("!Sub [\"${Table}/${Stage}\", {Table: !Ref Items}]", "items-table/dev"),
        ("!Sub \"https://${ServerlessRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}\"",
         "https://ServerlessRestApi.execute-api.us-east-1.amazonaws.com"),
        ("!GetAtt Echo.Arn", "arn:aws:lambda:us-east-1:000000000000:function:lambda-echo"),
        ("{\"Fn::GetAtt\": [Items, StreamArn]}", "arn:aws:dynamodb:us-east-1:000000000000:table/items-table/stream/1970-01-01T00:00:00.000"),
        ("!GetAtt [Items, !Sub Arn]", "arn:aws:dynamodb:us-east-1:000000000000:table/items-table"),
        ("!GetAtt Files.Arn", "arn:aws:s3:::files"),
        ("!GetAtt Files.DomainName", "files.s3.amazonaws.com"),
        ("!GetAtt Shared.Arn", "arn:aws:lambda:us-east-1:000000000000:layer:shared:1"),
        ("!GetAtt Queue.Arn", "arn:aws:sqs:us-east-1:000000000000:Queue"),
        ("!GetAtt EchoRole.Arn", "arn:aws:iam::000000000000:role/EchoRole"),
        ("!Join [\"-\", [a, !Ref Stage, 3]]", "a-dev-3"),
        ("{\"Fn::Join\": [\"\", [x, {\"Fn::If\": [IsProd, y, {Ref: AWS::NoValue}]}, z]]}", "xz"),
        ("!Join [\",\", !Ref Names]", "a,b,c"),
        ("!Select [1, !Ref Names]", "b"),
        ("!Select [\"0\", !Split [\".\", \"x.y\"]]", "x"),
        ("!Join [\"|\", !Split [\",\", \"a,,b\"]]", "a||b"),
        ("!If [IsDev, yes-dev, no-dev]", "yes-dev"),
        ("!If [IsProd, yes-prod, no-prod]", "no-prod"),
        ("!Equals [a, a]", "true"),
        ("!Equals [1, \"1\"]", "true"),
        ("!Not [!Equals [a, a]]", "false"),
        ("!And [!Condition IsDev, !Equals [x, x]]", "true"),
        ("!Or [!Condition IsProd, false]", "false"),
        ("!FindInMap [Config, !Ref Stage, Memory]", "512"),
        ("!Select [1, !FindInMap [Config, dev, Zones]]", "y"),
        ("!FindInMap [Config, prod, Memory, {DefaultValue: 128}]", "128"),
        ("!Base64 hello", "aGVsbG8="),
        ("{\"Fn::Base64\": {\"Fn::Sub\": \"${Stage}\"}}", "ZGV2"),
        ("!Select [0, !GetAZs \"\"]", "us-east-1a"),
        ("{\"Fn::Select\": [2, {\"Fn::GetAZs\": {\"Ref\": \"AWS::Region\"}}]}", "us-east-1c"),
    ]

    @Test(arguments: cases)
    func evaluates(_ expression: String, _ expected: String) throws {
        #expect(try Self.value(of: expression) == expected)
    }

    @Test func noValueRemovesTheKey() throws {
        let stack = try load(Self.template(value: "!If [IsProd, x, !Ref AWS::NoValue]"))
        #expect(stack.functions[0].environment == ["OTHER": "kept"])
    }

    @Test func pseudoParametersFollowTheLoaderSettings() throws {
        let loader = TemplateLoader(region: "eu-west-1", accountID: "123456789012", stackName: "demo")
        #expect(try Self.value(of: "!Sub \"${AWS::StackName}:${AWS::Region}:${AWS::AccountId}\"", loader: loader) == "demo:eu-west-1:123456789012")
        #expect(try Self.value(of: "!GetAtt Echo.Arn", loader: loader) == "arn:aws:lambda:eu-west-1:123456789012:function:lambda-echo")
    }

    @Test func tagsOnIgnoredResourcesDoNotFailTheLoad() throws {
        let yaml = Self.template(value: "x") + "\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policy: !Whatever {a: !Ref Nope}\n"
        #expect(try load(yaml).functions.count == 1)
    }
}
