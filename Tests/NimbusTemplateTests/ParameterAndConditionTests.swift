import NimbusCore
import NimbusTemplate
import Testing

struct ParameterAndConditionTests {
    static let yaml = """
        Parameters:
          Stage:
            Type: String
            Default: dev
            AllowedValues: [dev, prod]
          Memory: {Type: Number, Default: 256}
          Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "s-1,s-2"}
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
          IsDev: !Not [!Condition IsProd]
          Both: !And [!Condition IsDev, !Or [!Equals [!Ref Memory, 256], !Condition IsProd]]
        Resources:
        \(echoFunction("MemorySize: !Ref Memory\nEnvironment:\n  Variables:\n    SUBNET: !Select [1, !Ref Subnets]\n    BOTH: !If [Both, yes, no]"))
          ProdBucket:
            Type: AWS::S3::Bucket
            Condition: IsProd
            Properties: {BucketName: !Sub "prod-${Stage}"}
        """

    @Test func defaultsApply() throws {
        let stack = try load(Self.yaml)
        #expect(stack.functions[0].memorySize == 256)
        #expect(stack.functions[0].environment == ["SUBNET": "s-2", "BOTH": "yes"])
        #expect(stack.buckets.isEmpty)
        #expect(stack.warnings.contains("Resources.ProdBucket: skipped: condition 'IsProd' is false"))
    }

    @Test func overridesWinOverDefaults() throws {
        let stack = try load(Self.yaml, loader: TemplateLoader(parameterOverrides: ["Stage": "prod", "Memory": "512", "Unused": "x"]))
        #expect(stack.functions[0].memorySize == 512)
        #expect(stack.functions[0].environment["BOTH"] == "no")
        #expect(stack.buckets.map(\.bucketName) == ["prod-prod"])
        #expect(stack.warnings.contains("Parameters: override 'Unused' matches no parameter; ignored"))
    }

    @Test func overrideMustBeAllowed() {
        let error = loadError(Self.yaml, loader: TemplateLoader(parameterOverrides: ["Stage": "qa"]))
        #expect(error?.description == "template.yaml:2: Parameters.Stage: value 'qa' is not one of AllowedValues (dev, prod)")
    }

    @Test func overrideSuppliesAParameterWithoutDefault() throws {
        let yaml = "Parameters:\n  Name: {Type: String}\nResources:\n" + echoFunction("FunctionName: !Ref Name")
        let stack = try load(yaml, loader: TemplateLoader(parameterOverrides: ["Name": "given"]))
        #expect(stack.functions[0].name.rawValue == "given")
    }
}
