import NimbusCore
import Testing

@testable import NimbusGateway

struct FunctionReferenceTests {
    static let valid: [(reference: String, qualifier: String?, name: String, resolved: String?)] = [
        ("echo", nil, "echo", nil),
        ("echo", "live", "echo", "live"),
        ("echo:live", nil, "echo", "live"),
        ("echo:live", "live", "echo", "live"),
        ("echo:7", nil, "echo", "7"),
        ("123456789012:function:echo", nil, "echo", nil),
        ("123456789012:function:echo:$LATEST", nil, "echo", "$LATEST"),
        ("arn:aws:lambda:us-east-1:123456789012:function:echo", nil, "echo", nil),
        ("arn:aws:lambda:us-east-1:123456789012:function:echo", "live", "echo", "live"),
        ("arn:aws:lambda:eu-west-1:123456789012:function:my-fn_2:live", nil, "my-fn_2", "live"),
    ]

    @Test(arguments: valid)
    func parses(_ example: (reference: String, qualifier: String?, name: String, resolved: String?)) throws {
        let (function, qualifier) = try #require(FunctionReference.parse(example.reference, qualifier: example.qualifier))
        #expect(function == name(example.name))
        #expect(qualifier == example.resolved)
    }

    static let invalid: [(reference: String, qualifier: String?)] = [
        ("echo:live", "prod"),
        ("arn:aws:lambda:us-east-1:123456789012:function:echo:live", "7"),
        ("", nil),
        ("bad name", nil),
        ("bad/name", nil),
        (String(repeating: "a", count: 65), nil),
        ("echo:live:extra", nil),
        ("a:b:c", nil),
        ("arn:aws:s3:::bucket", nil),
        ("arn:aws:lambda:us-east-1:123456789012:layer:echo", nil),
        ("arn:aws:lambda:us-east-1:123456789012:function:echo:live:extra", nil),
        ("123456789012:function:", nil),
        ("echo:", nil),
        ("echo", ""),
    ]

    @Test(arguments: invalid)
    func rejects(_ example: (reference: String, qualifier: String?)) {
        #expect(FunctionReference.parse(example.reference, qualifier: example.qualifier) == nil)
    }
}
