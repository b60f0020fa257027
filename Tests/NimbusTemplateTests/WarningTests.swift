import NimbusCore
import NimbusTemplate
import Testing

/// What Nimbus accepts but does not act on is reported, never dropped silently.
struct WarningTests {
    static let cases: [(String, String)] = [
        ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
         "Resources.Q: AWS::SQS::Queue is not supported by Nimbus; ignored"),
        ("Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]\nResources:\n" + echoFunction(),
         "Transform[1]: AWS::LanguageExtensions is not supported by Nimbus; ignored"),
        ("Resources:\n" + echoFunction(),
         "Transform: missing AWS::Serverless-2016-10-31; AWS::Serverless resources are read anyway"),
        ("Transform: AWS::Serverless-2016-10-31\nResources:\n" + echoFunction("PackageType: Image\nImageUri: repo/image:latest"),
         "Resources.Echo: PackageType Image is not supported yet; function skipped"),
        ("Transform: AWS::Serverless-2016-10-31\nResources:\n" + echoFunction("VpcConfig: {SubnetIds: []}"),
         "Resources.Echo.Properties.VpcConfig: not supported by Nimbus; ignored"),
        ("Transform: AWS::Serverless-2016-10-31\nResources:\n" + echoFunction().replacingOccurrences(of: "python3.12", with: "go1.x"),
         "Resources.Echo.Properties.Runtime: runtime go1.x is not supported by Nimbus workers"),
        ("Transform: AWS::Serverless-2016-10-31\nFoo: bar\nResources:\n" + echoFunction(),
         "Foo: unknown template section; ignored"),
        ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: prod}\n",
         "Resources.Api: AWS::Serverless::Api is not supported by Nimbus; ignored"),
        ("Transform: AWS::Serverless-2016-10-31\nParameters:\n  Vpc: {Type: \"AWS::SSM::Parameter::Value<String>\", Default: /vpc/id}\nResources:\n" + echoFunction(),
         "Parameters.Vpc: SSM parameters are not looked up; the value is used as written"),
    ]

    @Test(arguments: cases)
    func reports(_ yaml: String, _ warning: String) throws {
        #expect(try load(yaml).warnings == [warning])
    }

    @Test func quietPropertiesNeedNoWarning() throws {
        let yaml = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
            + echoFunction("Description: echo\nTracing: Active\nPolicies: [AWSLambdaBasicExecutionRole]\nTags: {team: core}")
        #expect(try load(yaml).warnings.isEmpty)
    }
}
