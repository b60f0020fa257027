import NimbusCore

/// Template property values arrive as numbers, strings or booleans; S3's XML wants their text.
enum CloudFormationText {
    static func of(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): string
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let bool): bool ? "true" : "false"
        default: nil
        }
    }
}
