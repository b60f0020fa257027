import NimbusCore
import NimbusTemplate
import Testing

struct GlobalsMergeTests {
    static let yaml = """
        Globals:
          Function:
            Runtime: python3.12
            Handler: app.handler
            CodeUri: functions/python/echo
            Timeout: 20
            MemorySize: 512
            Architectures: [arm64]
            Layers: [!Ref Shared]
            Environment:
              Variables:
                SHARED: from-globals
                OVERRIDDEN: from-globals
        Resources:
          Shared:
            Type: AWS::Serverless::LayerVersion
            Properties: {ContentUri: layers/common}
          Other:
            Type: AWS::Serverless::LayerVersion
            Properties: {ContentUri: functions/python/scheduled}
          Plain:
            Type: AWS::Serverless::Function
          Custom:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: 5
              Architectures: [x86_64]
              Layers: [!Ref Other]
              Environment:
                Variables:
                  OVERRIDDEN: from-function
                  OWN: 1.10
        """

    @Test func functionsInheritGlobals() throws {
        let plain = try #require(try load(Self.yaml).functions.first { $0.logicalID == "Plain" })
        #expect(plain.runtime == "python3.12")
        #expect(plain.handler == "app.handler")
        #expect(plain.codePath == Fixtures.echoCode)
        #expect(plain.timeout == 20)
        #expect(plain.memorySize == 512)
        #expect(plain.architectures == ["arm64"])
        #expect(plain.layers == [Fixtures.commonLayer])
        #expect(plain.environment == ["SHARED": "from-globals", "OVERRIDDEN": "from-globals"])
    }

    @Test func functionValuesWinAndMapsMerge() throws {
        let custom = try #require(try load(Self.yaml).functions.first { $0.logicalID == "Custom" })
        #expect(custom.timeout == 5)
        #expect(custom.memorySize == 512)
        #expect(custom.environment == ["SHARED": "from-globals", "OVERRIDDEN": "from-function", "OWN": "1.10"])
    }

    /// SAM concatenates lists (Globals first), except Architectures, which it replaces.
    @Test func listsConcatenateExceptArchitectures() throws {
        let custom = try #require(try load(Self.yaml).functions.first { $0.logicalID == "Custom" })
        #expect(custom.layers == [Fixtures.commonLayer, Fixtures.sampleApp + "/functions/python/scheduled"])
        #expect(custom.architectures == ["x86_64"])
    }

    @Test func otherGlobalsAreReported() throws {
        let stack = try load("Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Api:\n    Cors: \"'*'\"\nResources:\n" + echoFunction())
        #expect(stack.warnings == ["Globals.Api: not supported by Nimbus; ignored"])
    }

    @Test func missingErrorsPointAtTheFunctionNotGlobals() {
        let yaml = "Globals:\n  Function:\n    Runtime: python3.12\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: functions/python/echo\n"
        #expect(loadError(yaml)?.description == "template.yaml:7: Resources.Fn.Properties.Handler: missing")
    }
}
