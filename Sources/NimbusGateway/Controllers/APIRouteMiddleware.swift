import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NimbusCore

/// Serves the template's API routes: bearer auth, route match, API Gateway event, invoke,
/// proxy response. Requests that match no template route fall through to the router.
public struct APIRouteMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let routes: RouteTable
    let dispatcher: any InvocationDispatcher
    let authenticator: BearerAuthenticator?
    let events: APIGatewayEvent
    let maximumBodySize: Int
    let logger: Logger

    public init(
        routes: RouteTable, dispatcher: any InvocationDispatcher, authenticator: BearerAuthenticator?,
        configuration: GatewayConfiguration, logger: Logger
    ) {
        self.routes = routes
        self.dispatcher = dispatcher
        self.authenticator = configuration.authEnabled ? authenticator : nil
        self.events = APIGatewayEvent(accountID: configuration.accountID, stage: configuration.stage)
        self.maximumBodySize = configuration.maximumBodySize
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = GatewayRequest.percentDecoded(request.uri.path)
        let match = Self.isReserved(path) ? nil : routes.match(method: request.method.rawValue, path: path)
        guard let match else {
            // Not a template route: the router's own routes or a JSON 404.
            do { return try await next(request, context) } catch let error as HTTPError where error.status == .notFound {
                return authenticate(request) == nil && authenticator != nil && routes.hasPath(path)
                    ? HTTPResponses.message(.unauthorized, "Unauthorized")
                    : HTTPResponses.message(.notFound, "Not Found")
            }
        }
        // HTTP metrics label the request with its template route, as the router does for its own.
        context.coreContext.endpointPath.value = match.route.path
        var caller: APIGatewayEvent.Caller?
        if authenticator != nil {
            guard let claims = authenticate(request) else { return HTTPResponses.message(.unauthorized, "Unauthorized") }
            caller = .init(username: claims.username, claims: claims.all)
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maximumBodySize) } catch {
            return HTTPResponses.message(.contentTooLarge, "Request Too Long")
        }
        let gatewayRequest = HTTPResponses.gatewayRequest(request, body: Data(buffer: body), sourceIP: context.sourceIP)
        let trace = request.headers[HTTPField.Name("X-Amzn-Trace-Id")!].flatMap(TraceHeader.init(parsing:)) ?? .generate()
        let invocation = InvocationRequest(
            function: match.route.function,
            payload: events.payload(for: gatewayRequest, match: match, caller: caller),
            trace: trace)
        let response = await respond(invocation, api: match.route.api)
        var headers = response.headers
        headers.append(HTTPField(name: HTTPField.Name("x-amzn-RequestId")!, value: gatewayRequest.requestID))
        headers.append(HTTPField(name: HTTPField.Name("X-Amzn-Trace-Id")!, value: trace.description))
        return Response(status: response.status, headers: headers, body: response.body)
    }

    /// The gateway's own paths win over template routes, so a catch-all `/{proxy+}` route
    /// cannot shadow login, health, metrics or the Invoke API.
    static func isReserved(_ path: String) -> Bool {
        path == "/health" || path == "/user/auth/v1" || path == "/metrics" || path.hasPrefix("/metrics/")
            || path.hasPrefix("/.well-known/") || path.hasPrefix("/2015-03-31/functions/")
    }

    private func authenticate(_ request: Request) -> TokenIssuer.Claims? {
        authenticator?.authenticate(authorization: request.headers[.authorization])
    }

    private func respond(_ invocation: InvocationRequest, api: HTTPRoute.API) async -> Response {
        let result: InvocationResult
        do throws(DispatchError) { result = try await dispatcher.invoke(invocation) } catch {
            let body: [String: String] = ["message": error.message, "errorType": error.code.rawValue]
            switch error.code {
            case .circuitOpen, .functionNotFound: return HTTPResponses.json(.badGateway, body)
            case .throttled, .shuttingDown, .workerUnavailable: return HTTPResponses.json(.serviceUnavailable, body)
            }
        }
        switch result.outcome {
        case .success:
            return HTTPResponses.proxy(ProxyResponse.map(payload: result.payload, api: api))
        case .functionError(let type):
            return HTTPResponses.json(.badGateway, ["message": "Internal server error", "errorType": type])
        }
    }
}
