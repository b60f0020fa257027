import Foundation
import NimbusCore

/// Builds the events API Gateway sends to a Lambda proxy integration:
/// REST APIs (payload 1.0) and HTTP APIs (payload 2.0), with the fields AWS fills.
public struct APIGatewayEvent: Sendable {
    /// What the authorizer established about the caller, if anything.
    public struct Caller: Sendable {
        public var username: String
        public var claims: [String: String]

        public init(username: String, claims: [String: String]) {
            self.username = username
            self.claims = claims
        }
    }

    public var accountID: String
    public var apiID: String
    public var stage: String

    public init(accountID: String = "000000000000", apiID: String = "nimbus", stage: String = "Prod") {
        self.accountID = accountID
        self.apiID = apiID
        self.stage = stage
    }

    public func payload(for request: GatewayRequest, match: RouteTable.Match, caller: Caller?) -> Data {
        let event = switch match.route.api {
        case .rest: restEvent(request, match, caller)
        case .http: httpEvent(request, match, caller)
        }
        return EventJSON.data(.object(event))
    }

    // MARK: REST API, payload 1.0

    private func restEvent(_ request: GatewayRequest, _ match: RouteTable.Match, _ caller: Caller?) -> [String: JSONValue] {
        var headers: [String: JSONValue] = [:]
        var multiHeaders: [String: [JSONValue]] = [:]
        for (name, value) in request.headers {
            headers[name] = .string(value)
            multiHeaders[name, default: []].append(.string(value))
        }
        var query: [String: JSONValue] = [:]
        var multiQuery: [String: [JSONValue]] = [:]
        for (name, value) in request.queryItems {
            query[name] = .string(value)
            multiQuery[name, default: []].append(.string(value))
        }
        let (body, isBase64) = restBody(request.body)
        let host = request.header("host") ?? "localhost"
        var context: [String: JSONValue] = [
            "accountId": .string(accountID),
            "apiId": .string(apiID),
            "resourceId": .string(Self.shortID(match.route.path)),
            "resourcePath": .string(match.route.path),
            "httpMethod": .string(request.method),
            "path": .string("/\(stage)\(request.path)"),
            "protocol": "HTTP/1.1",
            "stage": .string(stage),
            "requestId": .string(request.requestID),
            "extendedRequestId": .string(request.requestID),
            "requestTime": .string(Self.clfTime(request.receivedAt)),
            "requestTimeEpoch": .number((request.receivedAt.timeIntervalSince1970 * 1000).rounded(.down)),
            "domainName": .string(host),
            "domainPrefix": .string(Self.domainPrefix(host)),
            "identity": identity(request),
        ]
        if let caller { context["authorizer"] = .object(authorizer(caller)) }
        return [
            "resource": .string(match.route.path),
            "path": .string(request.path),
            "httpMethod": .string(request.method),
            "headers": headers.isEmpty ? .null : .object(headers),
            "multiValueHeaders": multiHeaders.isEmpty ? .null : .object(multiHeaders.mapValues(JSONValue.array)),
            "queryStringParameters": query.isEmpty ? .null : .object(query),
            "multiValueQueryStringParameters": multiQuery.isEmpty ? .null : .object(multiQuery.mapValues(JSONValue.array)),
            "pathParameters": match.pathParameters.isEmpty ? .null : .strings(match.pathParameters),
            "stageVariables": .null,
            "requestContext": .object(context),
            "body": body.map(JSONValue.string) ?? .null,
            "isBase64Encoded": .bool(isBase64),
        ]
    }

    /// REST APIs without binary media types pass text; bytes that are not UTF-8 go as base64.
    private func restBody(_ body: Data) -> (String?, Bool) {
        if body.isEmpty { return (nil, false) }
        if let text = String(data: body, encoding: .utf8) { return (text, false) }
        return (body.base64EncodedString(), true)
    }

    private func identity(_ request: GatewayRequest) -> JSONValue {
        .object([
            "sourceIp": .string(request.sourceIP),
            "userAgent": request.header("user-agent").map(JSONValue.string) ?? .null,
            "accessKey": .null, "accountId": .null, "caller": .null, "cognitoAuthenticationProvider": .null,
            "cognitoAuthenticationType": .null, "cognitoIdentityId": .null, "cognitoIdentityPoolId": .null,
            "principalOrgId": .null, "user": .null, "userArn": .null,
        ])
    }

    private func authorizer(_ caller: Caller) -> [String: JSONValue] {
        ["claims": .strings(caller.claims), "cognito:username": .string(caller.username), "principalId": .string(caller.username)]
    }

    // MARK: HTTP API, payload 2.0

    private func httpEvent(_ request: GatewayRequest, _ match: RouteTable.Match, _ caller: Caller?) -> [String: JSONValue] {
        var headers: [String: String] = [:]
        var cookies: [JSONValue] = []
        for (name, value) in request.headers {
            let key = name.lowercased()
            if key == "cookie" {
                cookies += value.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) }
                continue
            }
            headers[key] = headers[key].map { "\($0),\(value)" } ?? value
        }
        var query: [String: String] = [:]
        for (name, value) in request.queryItems {
            query[name] = query[name].map { "\($0),\(value)" } ?? value
        }
        let host = request.header("host") ?? "localhost"
        var context: [String: JSONValue] = [
            "accountId": .string(accountID),
            "apiId": .string(apiID),
            "domainName": .string(host),
            "domainPrefix": .string(Self.domainPrefix(host)),
            "http": [
                "method": .string(request.method), "path": .string(request.path), "protocol": "HTTP/1.1",
                "sourceIp": .string(request.sourceIP), "userAgent": .string(request.header("user-agent") ?? ""),
            ],
            "requestId": .string(request.requestID),
            "routeKey": .string(match.route.routeKey),
            "stage": "$default",
            "time": .string(Self.clfTime(request.receivedAt)),
            "timeEpoch": .number((request.receivedAt.timeIntervalSince1970 * 1000).rounded(.down)),
        ]
        if let caller {
            var authorizer = self.authorizer(caller)
            authorizer["jwt"] = ["claims": .strings(caller.claims), "scopes": .null]
            context["authorizer"] = .object(authorizer)
        }
        var event: [String: JSONValue] = [
            "version": "2.0",
            "routeKey": .string(match.route.routeKey),
            "rawPath": .string(request.rawPath),
            "rawQueryString": .string(request.rawQuery),
            "headers": .strings(headers),
            "requestContext": .object(context),
            "isBase64Encoded": false,
        ]
        if !cookies.isEmpty { event["cookies"] = .array(cookies) }
        if !query.isEmpty { event["queryStringParameters"] = .strings(query) }
        if !match.pathParameters.isEmpty { event["pathParameters"] = .strings(match.pathParameters) }
        if !request.body.isEmpty {
            if Self.isText(contentType: request.header("content-type")), let text = String(data: request.body, encoding: .utf8) {
                event["body"] = .string(text)
            } else {
                event["body"] = .string(request.body.base64EncodedString())
                event["isBase64Encoded"] = true
            }
        }
        return event
    }

    private static func domainPrefix(_ host: String) -> String {
        host.split(separator: ".").first.map(String.init) ?? "localhost"
    }

    /// HTTP APIs pass text media types as text and everything else base64-encoded.
    static func isText(contentType: String?) -> Bool {
        guard let type = contentType?.lowercased() else { return true }
        return type.hasPrefix("text/") || type.contains("json") || type.contains("xml")
            || type.contains("javascript") || type.hasPrefix("application/x-www-form-urlencoded")
    }

    /// `09/Apr/2015:12:34:56 +0000`, API Gateway's request time format.
    static func clfTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let month = months[Int(parts.tm_mon)]
        return "\(two(parts.tm_mday))/\(month)/\(parts.tm_year + 1900):\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func shortID(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(hash, radix: 36)
    }
}
