import NimbusCore

/// Matches request paths against the template's routes the way API Gateway does:
/// literal segments beat `{param}`, which beats `{proxy+}`; a route for the method beats `ANY`.
public struct RouteTable: Sendable {
    public struct Match: Sendable, Equatable {
        public var route: HTTPRoute
        public var pathParameters: [String: String]
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case greedy(String)
    }

    private struct Entry: Sendable {
        var route: HTTPRoute
        var segments: [Segment]
        /// Sort key: more literal segments first, greedy last, method-specific before ANY.
        var rank: [Int]
    }

    private let entries: [Entry]

    public init(routes: [HTTPRoute]) {
        entries = routes.map { route in
            let segments = Self.split(route.path).map { part -> Segment in
                if part.hasPrefix("{"), part.hasSuffix("+}") { return .greedy(String(part.dropFirst().dropLast(2))) }
                if part.hasPrefix("{"), part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
                return .literal(String(part))
            }
            let rank = segments.map { segment -> Int in
                switch segment {
                case .literal: 0
                case .parameter: 1
                case .greedy: 2
                }
            } + [route.method == nil ? 1 : 0]
            return Entry(route: route, segments: segments, rank: rank)
        }
        .sorted { $0.rank.lexicographicallyPrecedes($1.rank) }
    }

    public var routes: [HTTPRoute] { entries.map(\.route) }

    /// The best route for a method and a (percent-decoded) path, or nil. Entries are sorted
    /// most specific first, so the first that binds is the best.
    public func match(method: String, path: String) -> Match? {
        let parts = Self.split(path)
        for entry in entries where entry.route.method == nil || entry.route.method == method {
            if let parameters = Self.bind(entry.segments, to: parts) {
                return Match(route: entry.route, pathParameters: parameters)
            }
        }
        return nil
    }

    /// True when the path exists for some other method (API Gateway still answers 404/403 there,
    /// but this lets callers tell "no such route" apart in logs).
    public func hasPath(_ path: String) -> Bool {
        let parts = Self.split(path)
        return entries.contains { Self.bind($0.segments, to: parts) != nil }
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .greedy(let name):
                guard index < parts.count else { return nil }
                parameters[name] = parts[index...].joined(separator: "/")
                return parameters
            case .literal(let literal):
                guard index < parts.count, parts[index] == literal else { return nil }
            case .parameter(let name):
                guard index < parts.count else { return nil }
                parameters[name] = String(parts[index])
            }
        }
        return segments.count == parts.count ? parameters : nil
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
