/// A `Range: bytes=…` request against an object of known size.
enum ByteRange: Equatable {
    /// No usable range: send the whole object (absent, malformed or multi-range headers, which
    /// S3 ignores).
    case whole
    case partial(ClosedRange<Int64>)
    /// 416 InvalidRange.
    case unsatisfiable

    static func parse(_ header: String?, size: Int64) -> ByteRange {
        guard let header else { return .whole }
        let trimmed = header.trimmingXMLWhitespace()
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = trimmed.dropFirst(6).trimmingXMLWhitespace()
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmingXMLWhitespace()
        let last = spec[spec.index(after: dash)...].trimmingXMLWhitespace()
        if first.isEmpty {
            guard let suffix = Int64(last), suffix >= 0 else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int64(first), start >= 0 else { return .whole }
        if last.isEmpty {
            return start < size ? .partial(start...(size - 1)) : .unsatisfiable
        }
        guard let end = Int64(last), end >= start else { return .whole }
        guard start < size else { return .unsatisfiable }
        return .partial(start...min(end, size - 1))
    }

    /// `x-amz-copy-source-range: bytes=first-last`: both ends required and inside the source.
    static func parseCopySourceRange(_ header: String, size: Int64) throws(S3Error) -> ClosedRange<Int64> {
        let invalid = S3Error.invalidArgument(
            "Range specified is not valid for source object of size: \(size)", name: "x-amz-copy-source-range",
            value: header)
        let trimmed = header.trimmingXMLWhitespace()
        guard trimmed.hasPrefix("bytes=") else { throw invalid }
        let parts = trimmed.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]), start >= 0, start <= end,
            end < size
        else { throw invalid }
        return start...end
    }
}
