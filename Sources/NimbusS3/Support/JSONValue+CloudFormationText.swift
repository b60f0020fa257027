import NimbusCore

extension JSONValue {
    /// A template scalar as S3's XML wants it: templates write numbers, strings or booleans.
    var cloudFormationText: String? {
        switch self {
        case .string(let string): string
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let bool): bool ? "true" : "false"
        default: nil
        }
    }
}
