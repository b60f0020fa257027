/// A request's query string, decoded. Order is kept; a name without `=` has an empty value.
struct QueryParameters: Sendable {
    private(set) var items: [(name: String, value: String)] = []

    init(raw: String) throws(S3Error) {
        guard !raw.isEmpty else { return }
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decodeString(parts[0], plusAsSpace: true),
                let value = parts.count > 1 ? PercentEncoding.decodeString(parts[1], plusAsSpace: true) : ""
            else { throw S3Error.invalidURI }
            items.append((name, value))
        }
    }

    var isEmpty: Bool { items.isEmpty }

    subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    func contains(_ name: String) -> Bool {
        items.contains { $0.name == name }
    }

    /// An integer parameter, or InvalidArgument when present but not an integer in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, message: String? = nil) throws(S3Error) -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw S3Error.invalidArgument(
                message ?? "Provided \(name) not an integer or within integer range", name: name, value: text)
        }
        return value
    }
}
