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
        return EventJSON.data(event)
    }

    // MARK: REST API, payload 1.0

    private func restEvent(_ request: GatewayRequest, _ match: RouteTable.Match, _ caller: Caller?) -> [String: Any] {
        var headers: [String: String] = [:]
        var multiHeaders: [String: [String]] = [:]
        for (name, value) in request.headers {
            headers[name] = value
            multiHeaders[name, default: []].append(value)
        }
        var query: [String: String] = [:]
        var multiQuery: [String: [String]] = [:]
        for (name, value) in request.queryItems {
            query[name] = value
            multiQuery[name, default: []].append(value)
        }
        let (body, isBase64) = restBody(request.body)
        var context: [String: Any] = [
            "accountId": accountID,
            "apiId": apiID,
            "resourceId": Self.shortID(match.route.path),
            "resourcePath": match.route.path,
            "httpMethod": request.method,
            "path": "/\(stage)\(request.path)",
            "protocol": "HTTP/1.1",
            "stage": stage,
            "requestId": request.requestID,
            "extendedRequestId": request.requestID,
            "requestTime": Self.clfTime(request.receivedAt),
            "requestTimeEpoch": Int64(request.receivedAt.timeIntervalSince1970 * 1000),
            "domainName": request.header("host") ?? "localhost",
            "domainPrefix": (request.header("host") ?? "localhost").split(separator: ".").first.map(String.init) ?? "localhost",
            "identity": identity(request),
        ]
        if let caller { context["authorizer"] = authorizer(caller) }
        return [
            "resource": match.route.path,
            "path": request.path,
            "httpMethod": request.method,
            "headers": headers.isEmpty ? NSNull() : headers,
            "multiValueHeaders": multiHeaders.isEmpty ? NSNull() : multiHeaders,
            "queryStringParameters": query.isEmpty ? NSNull() : query,
            "multiValueQueryStringParameters": multiQuery.isEmpty ? NSNull() : multiQuery,
            "pathParameters": match.pathParameters.isEmpty ? NSNull() : match.pathParameters,
            "stageVariables": NSNull(),
            "requestContext": context,
            "body": body ?? NSNull(),
            "isBase64Encoded": isBase64,
        ]
    }

    /// REST APIs without binary media types pass text; bytes that are not UTF-8 go as base64.
    private func restBody(_ body: Data) -> (String?, Bool) {
        if body.isEmpty { return (nil, false) }
        if let text = String(data: body, encoding: .utf8) { return (text, false) }
        return (body.base64EncodedString(), true)
    }

    private func identity(_ request: GatewayRequest) -> [String: Any] {
        [
            "sourceIp": request.sourceIP,
            "userAgent": request.header("user-agent") ?? NSNull(),
            "accessKey": NSNull(), "accountId": NSNull(), "caller": NSNull(), "cognitoAuthenticationProvider": NSNull(),
            "cognitoAuthenticationType": NSNull(), "cognitoIdentityId": NSNull(), "cognitoIdentityPoolId": NSNull(),
            "principalOrgId": NSNull(), "user": NSNull(), "userArn": NSNull(),
        ]
    }

    private func authorizer(_ caller: Caller) -> [String: Any] {
        ["claims": caller.claims, "cognito:username": caller.username, "principalId": caller.username]
    }

    // MARK: HTTP API, payload 2.0

    private func httpEvent(_ request: GatewayRequest, _ match: RouteTable.Match, _ caller: Caller?) -> [String: Any] {
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for (name, value) in request.headers {
            let key = name.lowercased()
            if key == "cookie" {
                cookies += value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                continue
            }
            headers[key] = headers[key].map { "\($0),\(value)" } ?? value
        }
        var query: [String: String] = [:]
        for (name, value) in request.queryItems {
            query[name] = query[name].map { "\($0),\(value)" } ?? value
        }
        let stage = "$default"
        var context: [String: Any] = [
            "accountId": accountID,
            "apiId": apiID,
            "domainName": request.header("host") ?? "localhost",
            "domainPrefix": (request.header("host") ?? "localhost").split(separator: ".").first.map(String.init) ?? "localhost",
            "http": [
                "method": request.method, "path": request.path, "protocol": "HTTP/1.1",
                "sourceIp": request.sourceIP, "userAgent": request.header("user-agent") ?? "",
            ],
            "requestId": request.requestID,
            "routeKey": match.route.routeKey,
            "stage": stage,
            "time": Self.clfTime(request.receivedAt),
            "timeEpoch": Int64(request.receivedAt.timeIntervalSince1970 * 1000),
        ]
        if let caller {
            var authorizer = self.authorizer(caller)
            authorizer["jwt"] = ["claims": caller.claims, "scopes": NSNull()]
            context["authorizer"] = authorizer
        }
        var event: [String: Any] = [
            "version": "2.0",
            "routeKey": match.route.routeKey,
            "rawPath": request.rawPath,
            "rawQueryString": request.rawQuery,
            "headers": headers,
            "requestContext": context,
            "isBase64Encoded": false,
        ]
        if !cookies.isEmpty { event["cookies"] = cookies }
        if !query.isEmpty { event["queryStringParameters"] = query }
        if !match.pathParameters.isEmpty { event["pathParameters"] = match.pathParameters }
        if !request.body.isEmpty {
            if Self.isText(contentType: request.header("content-type")), let text = String(data: request.body, encoding: .utf8) {
                event["body"] = text
            } else {
                event["body"] = request.body.base64EncodedString()
                event["isBase64Encoded"] = true
            }
        }
        return event
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
