import NimbusCore
import NimbusTemplate
import Testing

struct LayerTests {
    static let layers = """
          Common:
            Type: AWS::Serverless::LayerVersion
            Properties: {LayerName: common-utils, ContentUri: ./layers/common/}
          Raw:
            Type: AWS::Lambda::LayerVersion
            Properties: {Content: functions/python/scheduled}
        """

    @Test func layerResourcesBecomeDefinitions() throws {
        let stack = try load("Resources:\n" + echoFunction() + "\n" + Self.layers)
        #expect(stack.layers == [
            LayerDefinition(logicalID: "Common", name: "common-utils", contentPath: Fixtures.commonLayer),
            LayerDefinition(logicalID: "Raw", name: "Raw", contentPath: Fixtures.sampleApp + "/functions/python/scheduled"),
        ])
    }

    @Test func functionLayersResolveToFolders() throws {
        let references = """
            Layers:
              - !Ref Common
              - !GetAtt Raw.Arn
              - !Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:layer:common-utils:7
              - arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV2:46
            """
        let stack = try load("Transform: AWS::Serverless-2016-10-31\nResources:\n" + echoFunction(references) + "\n" + Self.layers)
        #expect(stack.functions[0].layers == [Fixtures.commonLayer, Fixtures.sampleApp + "/functions/python/scheduled", Fixtures.commonLayer])
        #expect(stack.warnings == [
            "Resources.Echo.Properties.Layers[3]: layer 'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV2:46' is not defined in this template; ignored"
        ])
    }
}
