/// One `CORSRule` of a bucket's CORS configuration, and how S3 matches a request against it.
///
/// Origins and headers may hold one `*` wildcard each (`http://*.example.com`, `x-amz-*`);
/// origins match case-sensitively, header names and methods as S3 compares them.
struct CORSRule: Sendable, Equatable {
    static let methods: Set<String> = ["GET", "PUT", "HEAD", "POST", "DELETE"]

    var id: String?
    var allowedOrigins: [String]
    var allowedMethods: [String]
    var allowedHeaders: [String] = []
    var exposeHeaders: [String] = []
    var maxAgeSeconds: Int?

    func allows(origin: String) -> Bool {
        allowedOrigins.contains { Self.matches(origin, pattern: $0) }
    }

    func allows(method: String) -> Bool {
        allowedMethods.contains(method)
    }

    /// Whether every header a preflight announces (`Access-Control-Request-Headers`) is allowed.
    func allows(headers: [String]) -> Bool {
        headers.allSatisfy { header in
            let name = header.lowercased()
            return allowedHeaders.contains { Self.matches(name, pattern: $0.lowercased()) }
        }
    }

    /// `Access-Control-Allow-Origin` for a matched `origin`: `*` when the rule admits every origin.
    func allowOrigin(for origin: String) -> String {
        allowedOrigins.contains("*") ? "*" : origin
    }

    /// `text` against a pattern with at most one `*`, which stands for any run of characters.
    static func matches(_ text: String, pattern: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return text == pattern }
        let prefix = pattern[..<star]
        let suffix = pattern[pattern.index(after: star)...]
        return text.count >= prefix.count + suffix.count && text.hasPrefix(prefix) && text.hasSuffix(suffix)
    }
}
