import NimbusCore
import Testing

@testable import NimbusGateway

struct RouteTableTests {
    static func route(_ method: String?, _ path: String, _ function: String, api: HTTPRoute.API = .rest) -> HTTPRoute {
        HTTPRoute(api: api, path: path, method: method, function: name(function))
    }

    static let routes = [
        route("GET", "/items", "list"),
        route("POST", "/items", "create"),
        route("GET", "/items/special", "special"),
        route("GET", "/items/{id}", "get"),
        route(nil, "/items/{id}", "anyItem"),
        route(nil, "/files/{proxy+}", "files"),
        route("GET", "/files/{proxy+}", "filesGet"),
        route("GET", "/files/readme", "readme"),
        route("GET", "/users/{userId}/orders/{orderId}", "order"),
        route("GET", "/", "root"),
    ]

    static let matches: [(method: String, path: String, function: String, parameters: [String: String])] = [
        ("GET", "/items", "list", [:]),
        ("POST", "/items", "create", [:]),
        ("GET", "/items/special", "special", [:]),
        ("GET", "/items/42", "get", ["id": "42"]),
        ("DELETE", "/items/42", "anyItem", ["id": "42"]),
        ("DELETE", "/items/special", "anyItem", ["id": "special"]),
        ("GET", "/files/readme", "readme", [:]),
        ("GET", "/files/a/b/c.txt", "filesGet", ["proxy": "a/b/c.txt"]),
        ("PUT", "/files/a/b", "files", ["proxy": "a/b"]),
        ("GET", "/files/readme/more", "filesGet", ["proxy": "readme/more"]),
        ("GET", "/users/7/orders/9", "order", ["userId": "7", "orderId": "9"]),
        ("GET", "/items/", "list", [:]),
        ("GET", "/items/42/", "get", ["id": "42"]),
        ("GET", "/", "root", [:]),
    ]

    @Test(arguments: matches, [false, true])
    func matchesTheMostSpecificRoute(
        _ example: (method: String, path: String, function: String, parameters: [String: String]), reversed: Bool
    ) throws {
        let table = RouteTable(routes: reversed ? Self.routes.reversed() : Self.routes)
        let match = try #require(table.match(method: example.method, path: example.path))
        #expect(match.route.function == name(example.function))
        #expect(match.pathParameters == example.parameters)
    }

    static let misses: [(method: String, path: String)] = [
        ("DELETE", "/items"),
        ("GET", "/files"),
        ("GET", "/items/42/extra"),
        ("GET", "/users/7/orders"),
        ("GET", "/nothing"),
        ("POST", "/"),
    ]

    @Test(arguments: misses)
    func answersNilWhenNoRouteMatches(_ example: (method: String, path: String)) {
        #expect(RouteTable(routes: Self.routes).match(method: example.method, path: example.path) == nil)
    }

    @Test(arguments: [("/items", true), ("/files/x", true), ("/items/1", true), ("/files", false), ("/items/1/extra", false), ("/nothing", false)])
    func hasPathIgnoresTheMethod(_ path: String, _ exists: Bool) {
        #expect(RouteTable(routes: Self.routes).hasPath(path) == exists)
    }

    static let catchAll = [route(nil, "/{proxy+}", "catchAll", api: .http), route("GET", "/items", "list", api: .http)]

    @Test(arguments: [
        ("GET", "/items", "list", [:]),
        ("DELETE", "/items", "catchAll", ["proxy": "items"]),
        ("GET", "/a/b/c", "catchAll", ["proxy": "a/b/c"]),
    ] as [(String, String, String, [String: String])])
    func rootProxyCatchesEverythingElse(_ method: String, _ path: String, _ function: String, _ parameters: [String: String]) throws {
        let match = try #require(RouteTable(routes: Self.catchAll).match(method: method, path: path))
        #expect(match.route.function == name(function))
        #expect(match.pathParameters == parameters)
    }

    @Test func rootProxyDoesNotMatchTheRoot() {
        #expect(RouteTable(routes: Self.catchAll).match(method: "GET", path: "/") == nil)
    }
}
