import NimbusTemplate
import Testing

/// Every class of bad template gets one clear error: file, line, property path, message.
struct TemplateErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var expected: String
        var testDescription: String { name }
    }

    static let documentErrors: [Case] = [
        Case(name: "invalid YAML", yaml: "Resources:\n  A: [unclosed\n", expected:
            "template.yaml:3: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"),
        Case(name: "empty document", yaml: "", expected: "template.yaml: the template is empty"),
        Case(name: "top level is a list", yaml: "- Resources\n", expected:
            "template.yaml:1: the template must be a mapping of sections (Resources, Parameters, …)"),
        Case(name: "no Resources", yaml: "Description: nothing\n", expected: "template.yaml:1: Resources: missing"),
        Case(name: "empty Resources", yaml: "Resources: {}\n", expected: "template.yaml:1: Resources: declares no resources"),
        Case(name: "duplicate key", yaml: "Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n", expected:
            "template.yaml:2: invalid YAML: duplicate key 'A'"),
        Case(name: "resource without Type", yaml: "Resources:\n  Queue:\n    Properties: {}\n", expected:
            "template.yaml:2: Resources.Queue.Type: missing"),
        Case(name: "Type not a string", yaml: "Resources:\n  Queue:\n    Type: [a]\n", expected:
            "template.yaml:3: Resources.Queue.Type: expected a string"),
        Case(name: "property outside Properties", yaml: "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Handler: x\n", expected:
            "template.yaml:4: Resources.Queue.Handler: unknown resource attribute (should it be under Properties?)"),
        Case(name: "bad logical id", yaml: "Resources:\n  my-queue:\n    Type: AWS::SQS::Queue\n", expected:
            "template.yaml:2: Resources.my-queue: logical ids may contain only letters and digits"),
    ]

    static let functionErrors: [Case] = [
        Case(name: "missing Handler", yaml: """
            Resources:
              Echo:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  CodeUri: functions/python/echo
            """, expected: "template.yaml:4: Resources.Echo.Properties.Handler: missing"),
        Case(name: "missing Runtime", yaml: """
            Resources:
              Echo:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  CodeUri: functions/python/echo
            """, expected: "template.yaml:4: Resources.Echo.Properties.Runtime: missing"),
        Case(name: "missing CodeUri", yaml: """
            Resources:
              Echo:
                Type: AWS::Serverless::Function
                Properties: {Runtime: python3.12, Handler: app.handler}
            """, expected: "template.yaml:4: Resources.Echo.Properties.CodeUri: missing"),
        Case(name: "no Properties at all", yaml: "Resources:\n  Echo:\n    Type: AWS::Serverless::Function\n", expected:
            "template.yaml:2: Resources.Echo.Properties.Runtime: missing"),
        Case(name: "Timeout not a number", yaml: "Resources:\n" + echoFunction("Timeout: abc"), expected:
            "template.yaml:8: Resources.Echo.Properties.Timeout: expected a number"),
        Case(name: "Timeout out of range", yaml: "Resources:\n" + echoFunction("Timeout: 0"), expected:
            "template.yaml:8: Resources.Echo.Properties.Timeout: must be between 1 and 900"),
        Case(name: "MemorySize fractional", yaml: "Resources:\n" + echoFunction("MemorySize: 256.5"), expected:
            "template.yaml:8: Resources.Echo.Properties.MemorySize: expected a whole number"),
        Case(name: "Environment variable is a list", yaml: "Resources:\n" + echoFunction("Environment:\n  Variables:\n    A: [1, 2]"), expected:
            "template.yaml:10: Resources.Echo.Properties.Environment.Variables.A: expected a string, number or boolean"),
        Case(name: "bad environment variable name", yaml: "Resources:\n" + echoFunction("Environment:\n  Variables:\n    1A: x"), expected:
            "template.yaml:10: Resources.Echo.Properties.Environment.Variables.1A: invalid environment variable name (letters, digits and '_', starting with a letter)"),
        Case(name: "CodeUri folder missing", yaml: "Resources:\n" + echoFunction().replacingOccurrences(of: "functions/python/echo", with: "functions/nope"), expected:
            "template.yaml:7: Resources.Echo.Properties.CodeUri: folder 'functions/nope' does not exist"),
        Case(name: "CodeUri is a file", yaml: "Resources:\n" + echoFunction().replacingOccurrences(of: "functions/python/echo", with: "functions/python/echo/app.py"), expected:
            "template.yaml:7: Resources.Echo.Properties.CodeUri: 'functions/python/echo/app.py' is not a folder (archives are not supported)"),
        Case(name: "CodeUri in S3", yaml: "Resources:\n" + echoFunction().replacingOccurrences(of: "functions/python/echo", with: "{Bucket: b, Key: k.zip}"), expected:
            "template.yaml:7: Resources.Echo.Properties.CodeUri: S3 locations are not supported; use a local folder"),
        Case(name: "InlineCode", yaml: "Resources:\n" + echoFunction("InlineCode: print(1)"), expected:
            "template.yaml:8: Resources.Echo.Properties.InlineCode: InlineCode is not supported; use CodeUri with a folder"),
        Case(name: "invalid FunctionName", yaml: "Resources:\n" + echoFunction("FunctionName: my function"), expected:
            "template.yaml:8: Resources.Echo.Properties.FunctionName: invalid function name 'my function': use 1–64 letters, digits, '-' or '_'"),
        Case(name: "duplicate FunctionName", yaml: "Resources:\n" + echoFunction("FunctionName: echo") + "\n"
            + echoFunction("FunctionName: echo").replacingOccurrences(of: "  Echo:", with: "  Echo2:"), expected:
            "template.yaml:9: Resources.Echo2: duplicate function echo (also Resources.Echo)"),
        Case(name: "PackageType unknown", yaml: "Resources:\n" + echoFunction("PackageType: Jar"), expected:
            "template.yaml:8: Resources.Echo.Properties.PackageType: expected Zip or Image"),
        Case(name: "two architectures", yaml: "Resources:\n" + echoFunction("Architectures: [x86_64, arm64]"), expected:
            "template.yaml:8: Resources.Echo.Properties.Architectures: expected [x86_64] or [arm64]"),
        Case(name: "Globals.Function.Events", yaml: "Globals:\n  Function:\n    Events: {}\nResources:\n" + echoFunction(), expected:
            "template.yaml:3: Globals.Function.Events: not allowed in Globals"),
    ]

    static let eventErrors: [Case] = [
        Case(name: "event without Type", yaml: "Resources:\n" + echoFunction("Events:\n  Hello:\n    Properties: {Path: /}"), expected:
            "template.yaml:9: Resources.Echo.Properties.Events.Hello.Type: missing"),
        Case(name: "Api without Path", yaml: "Resources:\n" + echoFunction("Events:\n  Hello:\n    Type: Api\n    Properties:\n      Method: get"), expected:
            "template.yaml:11: Resources.Echo.Properties.Events.Hello.Properties.Path: missing"),
        Case(name: "Api without Method", yaml: "Resources:\n" + echoFunction("Events:\n  Hello:\n    Type: Api\n    Properties: {Path: /hello}"), expected:
            "template.yaml:11: Resources.Echo.Properties.Events.Hello.Properties.Method: missing"),
        Case(name: "unknown method", yaml: "Resources:\n" + echoFunction("Events:\n  Hello:\n    Type: Api\n    Properties: {Path: /hello, Method: fetch}"), expected:
            "template.yaml:11: Resources.Echo.Properties.Events.Hello.Properties.Method: unknown HTTP method 'fetch'"),
        Case(name: "path without slash", yaml: "Resources:\n" + echoFunction("Events:\n  Hello:\n    Type: HttpApi\n    Properties: {Path: hello}"), expected:
            "template.yaml:11: Resources.Echo.Properties.Events.Hello.Properties.Path: must start with '/'"),
        Case(name: "bad schedule", yaml: "Resources:\n" + echoFunction("Events:\n  Tick:\n    Type: Schedule\n    Properties: {Schedule: every minute}"), expected:
            "template.yaml:11: Resources.Echo.Properties.Events.Tick.Properties.Schedule: expected rate(…), cron(…) or at(…), got 'every minute'"),
        Case(name: "bad schedule state", yaml: "Resources:\n" + echoFunction("Events:\n  Tick:\n    Type: ScheduleV2\n    Properties: {ScheduleExpression: rate(1 minute), State: ON}"), expected:
            "template.yaml:11: Resources.Echo.Properties.Events.Tick.Properties.State: expected ENABLED or DISABLED"),
    ]

    static let parameterErrors: [Case] = [
        Case(name: "parameter without value", yaml: "Parameters:\n  Stage:\n    Type: String\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Parameters.Stage: no value: give it a Default or a parameter override"),
        Case(name: "parameter without Type", yaml: "Parameters:\n  Stage:\n    Default: dev\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Parameters.Stage.Type: missing"),
        Case(name: "Number parameter not a number", yaml: "Parameters:\n  Size: {Type: Number, Default: big}\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Parameters.Size: value 'big' is not a number"),
        Case(name: "value not allowed", yaml: "Parameters:\n  Stage: {Type: String, Default: qa, AllowedValues: [dev, prod]}\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Parameters.Stage: value 'qa' is not one of AllowedValues (dev, prod)"),
        Case(name: "circular condition", yaml: "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Conditions.A: circular condition 'A'"),
        Case(name: "condition not a condition", yaml: "Conditions:\n  A: hello\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Conditions.A: expected a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition)"),
        Case(name: "resource with unknown condition", yaml: "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Condition: Nope\n", expected:
            "template.yaml:4: Resources.Queue.Condition: unknown condition 'Nope'"),
        Case(name: "Mappings not nested", yaml: "Mappings:\n  Config: flat\nResources:\n" + echoFunction(), expected:
            "template.yaml:2: Mappings.Config: expected a mapping"),
    ]

    static func intrinsicCase(_ name: String, _ expression: String, _ expected: String) -> Case {
        let yaml = "Conditions:\n  IsDev: !Equals [a, a]\nResources:\n" + echoFunction("Environment:\n  Variables:\n    VALUE: \(expression)")
            + "\n  Items:\n    Type: AWS::DynamoDB::Table\n    Condition: IsDev\n    Properties: {KeySchema: []}\n"
        return Case(name: name, yaml: yaml, expected: "template.yaml:12: Resources.Echo.Properties.Environment.Variables.VALUE: \(expected)")
    }

    static let intrinsicErrors: [Case] = [
        intrinsicCase("Ref to unknown name", "!Ref Nope", "Ref: unknown parameter or resource 'Nope'"),
        intrinsicCase("unknown short-form tag", "!Frobnicate x", "unknown intrinsic function Fn::Frobnicate"),
        intrinsicCase("unknown long-form function", "{\"Fn::Frobnicate\": x}", "unknown intrinsic function Fn::Frobnicate"),
        intrinsicCase("unsupported function", "!ImportValue shared-vpc", "Fn::ImportValue is not supported by Nimbus"),
        intrinsicCase("Sub with unknown name", "!Sub \"${Nope}-x\"", "Fn::Sub: unknown parameter or resource 'Nope'"),
        intrinsicCase("Sub unclosed", "!Sub \"${AWS::Region\"", "Fn::Sub: unclosed '${' in '${AWS::Region'"),
        intrinsicCase("GetAtt unknown attribute", "!GetAtt Echo.Nope", "Fn::GetAtt: Echo (AWS::Serverless::Function) has no attribute 'Nope'"),
        intrinsicCase("GetAtt unknown resource", "!GetAtt Nope.Arn", "Fn::GetAtt: unknown resource 'Nope'"),
        intrinsicCase("GetAtt without attribute", "!GetAtt Echo", "Fn::GetAtt: expected 'Resource.Attribute', got 'Echo'"),
        intrinsicCase("If with unknown condition", "!If [Nope, a, b]", "unknown condition 'Nope'"),
        intrinsicCase("If with two items", "!If [IsDev, a]", "Fn::If: expected a list of 3 items"),
        intrinsicCase("Select out of range", "!Select [3, [a, b]]", "Fn::Select: index 3 is out of range (2 items)"),
        intrinsicCase("Join of a mapping", "!Join [\",\", {a: b}]", "expected a list"),
        intrinsicCase("FindInMap missing key", "!FindInMap [Config, dev, Memory]", "Fn::FindInMap: Mappings has no key 'Config'"),
        intrinsicCase("Ref to a list in Sub", "!Sub \"${AWS::NotificationARNs}\"", "Fn::Sub: '${AWS::NotificationARNs}' is a list, not a string"),
        intrinsicCase("Ref yielding a list", "!Ref AWS::NotificationARNs", "expected a string, number or boolean"),
        intrinsicCase("NoValue inside Join", "!Join [\"-\", !Ref AWS::NoValue]", "Fn::Join: AWS::NoValue is not allowed here"),
        intrinsicCase("Number expected in Select", "!Select [first, [a]]", "expected a number"),
    ]

    static let resourceErrors: [Case] = [
        Case(name: "layer without ContentUri", yaml: "Resources:\n  Shared:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {LayerName: shared}\n", expected:
            "template.yaml:4: Resources.Shared.Properties.ContentUri: missing"),
        Case(name: "layer folder missing", yaml: "Resources:\n  Shared:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: layers/nope}\n", expected:
            "template.yaml:4: Resources.Shared.Properties.ContentUri: folder 'layers/nope' does not exist"),
        Case(name: "CloudFormation layer in S3", yaml: "Resources:\n  Shared:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n      Content: {S3Bucket: b, S3Key: k}\n", expected:
            "template.yaml:5: Resources.Shared.Properties.Content: S3 locations are not supported; use a local folder"),
        Case(name: "table without KeySchema", yaml: "Resources:\n  Items:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: items\n", expected:
            "template.yaml:4: Resources.Items.Properties.KeySchema: missing"),
        Case(name: "SimpleTable key type", yaml: "Resources:\n  Items:\n    Type: AWS::Serverless::SimpleTable\n    Properties:\n      PrimaryKey: {Name: id, Type: Text}\n", expected:
            "template.yaml:5: Resources.Items.Properties.PrimaryKey.Type: expected String, Number or Binary"),
        Case(name: "bucket name from a long logical id", yaml: "Resources:\n  ThisLogicalIdIsFarTooLongToBeABucketNameBecauseBucketNamesStopAtSixtyThree:\n    Type: AWS::S3::Bucket\n", expected:
            "template.yaml:2: Resources.ThisLogicalIdIsFarTooLongToBeABucketNameBecauseBucketNamesStopAtSixtyThree: invalid bucket name 'thislogicalidisfartoolongtobeabucketnamebecausebucketnamesstopatsixtythree': use 3–63 lowercase letters, digits, '.' or '-'"),
        Case(name: "invalid bucket name", yaml: "Resources:\n  Files:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: My_Bucket}\n", expected:
            "template.yaml:4: Resources.Files.Properties.BucketName: invalid bucket name 'My_Bucket': use 3–63 lowercase letters, digits, '.' or '-'"),
        Case(name: "duplicate table name", yaml: "Resources:\n  A:\n    Type: AWS::Serverless::SimpleTable\n    Properties: {TableName: t}\n  B:\n    Type: AWS::Serverless::SimpleTable\n    Properties: {TableName: t}\n", expected:
            "template.yaml:5: Resources.B: duplicate table t (also Resources.A)"),
        Case(name: "Ref to a resource excluded by condition", yaml: "Conditions:\n  Never: !Equals [a, b]\nResources:\n  Files:\n    Type: AWS::S3::Bucket\n    Condition: Never\n  Other:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${Files}-copy\"\n", expected:
            "template.yaml:10: Resources.Other.Properties.BucketName: 'Files' is not created because condition 'Never' is false"),
        Case(name: "circular names", yaml: "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref B}\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref A}\n", expected:
            "template.yaml:7: Resources.B.Properties.BucketName: circular reference through 'A'"),
    ]

    @Test(arguments: documentErrors + functionErrors + eventErrors + parameterErrors + intrinsicErrors + resourceErrors)
    func reportsTheError(_ testCase: Case) {
        let error = loadError(testCase.yaml)
        #expect(error?.description == testCase.expected)
        #expect(error?.file == "template.yaml")
    }

    @Test func firstErrorInDocumentOrderWins() {
        let yaml = "Resources:\n" + echoFunction("Timeout: abc\nMemorySize: lots")
        #expect(loadError(yaml)?.path == "Resources.Echo.Properties.Timeout")
    }

    @Test func errorFieldsAreStructured() {
        let error = loadError("Resources:\n" + echoFunction("Timeout: abc"))
        #expect(error == TemplateError(file: "template.yaml", path: "Resources.Echo.Properties.Timeout", line: 8, message: "expected a number"))
    }

    @Test func missingFileIsAnError() {
        #expect(throws: TemplateError(file: "/nonexistent/template.yaml", path: "", line: nil, message: "the template file does not exist")) {
            try TemplateLoader().load(fileAt: "/nonexistent/template.yaml")
        }
    }
}
