import NimbusCore

/// Seeded inputs for the parsers' fuzz tests.
enum FuzzInput {
    /// Up to 24 tokens from `tokens`, space-separated.
    static func tokenSoup(_ tokens: [String], _ random: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...24, using: &random)).map { _ in tokens.randomElement(using: &random)! }.joined(separator: " ")
    }

    /// Up to 64 bytes, half from the language's `alphabet` and half anything, read as UTF-8
    /// (invalid sequences become replacement characters, as a request's bytes would).
    static func bytes(alphabet: String, _ random: inout SplitMix64) -> String {
        let alphabet = Array(alphabet.utf8)
        let bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in
            Bool.random(using: &random) ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
