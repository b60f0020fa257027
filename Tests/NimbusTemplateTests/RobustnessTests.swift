import NimbusTemplate
import Testing

/// Odd input never crashes the loader: it throws one located error (or loads).
struct RobustnessTests {
    static let inputs: [(String, String)] = [
        ("{", "template.yaml:2: invalid YAML: did not find expected node content (while parsing a flow node at line 2)"),
        ("\t\tfoo: [", "template.yaml:1: invalid YAML: found character that cannot start any token (while scanning for the next token at line 1)"),
        ("\u{0}", "template.yaml:1: invalid YAML: control characters are not allowed"),
        ("Resources:\n  A: 1\n", "template.yaml:2: Resources.A: expected a mapping"),
        ("Resources: [1]\n", "template.yaml:1: Resources: expected a mapping"),
        ("Resources: !Ref X\n", "template.yaml:1: Resources: expected a mapping of resources"),
        ("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: [1]\n", "template.yaml:4: Resources.A.Properties: expected a mapping"),
        ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B: *y\n", "template.yaml:4: invalid YAML: found undefined alias"),
        ("Resources:\n  A:\n    Type: !Ref X\n", "template.yaml:3: Resources.A.Type: expected a string"),
        ("Resources:\n  ? [a, b]\n  : x\n", "template.yaml:2: invalid YAML: mapping keys must be plain strings"),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !GetAtt [A]}\n",
         "template.yaml:4: Resources.A.Properties.BucketName: Fn::GetAtt: expected a list of 2 items"),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Select [-1, [a]]}\n",
         "template.yaml:4: Resources.A.Properties.BucketName: Fn::Select: index -1 is out of range (1 item)"),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Select [1e400, [a]]}\n",
         "template.yaml:4: Resources.A.Properties.BucketName: expected a whole number"),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Sub [\"${a}\", [1]]}\n",
         "template.yaml:4: Resources.A.Properties.BucketName: Fn::Sub: expected a mapping of variables"),
        ("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: {Events: [1]}\n",
         "template.yaml:4: Resources.A.Properties.Events: expected a mapping"),
        ("---\nResources: {}\n---\nResources: {}\n",
         "template.yaml:3: invalid YAML: but found another document (expected a single document in the stream at line 1)"),
    ]

    @Test(arguments: inputs)
    func throwsALocatedError(_ yaml: String, _ expected: String) {
        #expect(loadError(yaml)?.description == expected)
    }

    @Test func anchorsAndAliasesAreExpanded() throws {
        let yaml = "Resources:\n  A: &queue\n    Type: AWS::SQS::Queue\n  B: *queue\n  C:\n    <<: *queue\n"
        #expect(try load(yaml).warnings.count == 3)
    }
}
