import HTTPTypes
import Hummingbird

/// Conditional request evaluation (RFC 7232 as S3 applies it).
///
/// `If-Match` decides over `If-Unmodified-Since`, and `If-None-Match` over `If-Modified-Since`:
/// when the entity-tag condition is present the date condition is ignored.
enum Preconditions {
    enum Outcome: Equatable {
        case proceed
        case notModified
        /// 412, naming the condition that failed.
        case failed(String)
    }

    struct Conditions: Sendable {
        var ifMatch: String?
        var ifNoneMatch: String?
        var ifModifiedSince: String?
        var ifUnmodifiedSince: String?
        /// Names reported in `<Condition>` (the copy-source forms differ).
        var names = (ifMatch: "If-Match", ifNoneMatch: "If-None-Match", ifModifiedSince: "If-Modified-Since",
            ifUnmodifiedSince: "If-Unmodified-Since")

        static func request(_ headers: HTTPFields) -> Conditions {
            Conditions(
                ifMatch: headers[.ifMatch], ifNoneMatch: headers[.ifNoneMatch],
                ifModifiedSince: headers[.ifModifiedSince], ifUnmodifiedSince: headers[.ifUnmodifiedSince])
        }

        static func copySource(_ headers: HTTPFields) -> Conditions {
            func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
            return Conditions(
                ifMatch: header("x-amz-copy-source-if-match"), ifNoneMatch: header("x-amz-copy-source-if-none-match"),
                ifModifiedSince: header("x-amz-copy-source-if-modified-since"),
                ifUnmodifiedSince: header("x-amz-copy-source-if-unmodified-since"),
                names: (
                    "x-amz-copy-source-If-Match", "x-amz-copy-source-If-None-Match",
                    "x-amz-copy-source-If-Modified-Since", "x-amz-copy-source-If-Unmodified-Since"
                ))
        }

        var isEmpty: Bool { ifMatch == nil && ifNoneMatch == nil && ifModifiedSince == nil && ifUnmodifiedSince == nil }
    }

    /// - Parameters:
    ///   - etag: the object's ETag without quotes.
    ///   - lastModified: Unix seconds.
    static func evaluate(_ conditions: Conditions, etag: String, lastModified: Int64) -> Outcome {
        if let ifMatch = conditions.ifMatch {
            if !etagList(ifMatch, contains: etag) { return .failed(conditions.names.ifMatch) }
        } else if let header = conditions.ifUnmodifiedSince, let date = HTTPDate.parseHTTP(header), lastModified > date {
            return .failed(conditions.names.ifUnmodifiedSince)
        }
        if let ifNoneMatch = conditions.ifNoneMatch {
            if etagList(ifNoneMatch, contains: etag) { return .notModified }
        } else if let header = conditions.ifModifiedSince, let date = HTTPDate.parseHTTP(header), lastModified <= date {
            return .notModified
        }
        return .proceed
    }

    /// Whether a comma-separated list of entity tags (`"a", W/"b"`, or `*`) names `etag`.
    /// Quotes are optional, as S3 accepts them either way.
    static func etagList(_ header: String, contains etag: String) -> Bool {
        for item in header.split(separator: ",") {
            var tag = Substring(item.trimmingXMLWhitespace())
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count >= 2 { tag = tag.dropFirst().dropLast() }
            if tag == etag { return true }
        }
        return false
    }
}
