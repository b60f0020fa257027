import NimbusTemplate
import Testing

/// Odd input never crashes the loader: it loads or throws one located error.
struct RobustnessTests {
    static let inputs: [(String, String)] = [
        ("\t\tfoo: [", ""),
        ("{", ""),
        ("[]", ""),
        ("\u{0}", ""),
        ("Resources:\n  A: 1\n", ""),
        ("Resources: [1]\n", ""),
        ("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: [1]\n", ""),
        ("Resources:\n  A: &x\n    Type: AWS::SQS::Queue\n  B: *x\n", ""),
        ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B: *y\n", ""),
        ("Resources:\n  A:\n    Type: !Ref X\n", ""),
        ("Resources: !Ref X\n", ""),
        ("Resources:\n  ? [a, b]\n  : x\n", ""),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !GetAtt [A]}\n", ""),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Select [-1, [a]]}\n", ""),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Sub [x]}\n", ""),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Sub [\"${a}\", [1]]}\n", ""),
        ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Select [1e400, [a]]}\n", ""),
        ("Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: {Events: [1]}\n", ""),
        ("--- \nResources: {}\n---\nResources: {}\n", ""),
    ]

    @Test(arguments: inputs)
    func neverCrashes(_ yaml: String, _ expected: String) {
        let error = loadError(yaml)
        print("ROBUST", yaml.debugDescription, "=>", error?.description ?? "loaded")
    }
}
