import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusCore

/// The Lambda Invoke API (`POST /2015-03-31/functions/{FunctionName}/invocations`), exactly
/// as boto3 and the AWS CLI speak it.
public struct InvokeController: Sendable {
    static let synchronousLimit = 6 * 1024 * 1024
    static let asynchronousLimit = 256 * 1024
    static let tailLimit = 4 * 1024

    let dispatcher: any InvocationDispatcher
    let region: String
    let accountID: String

    public init(dispatcher: any InvocationDispatcher, region: String, accountID: String) {
        self.dispatcher = dispatcher
        self.region = region
        self.accountID = accountID
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("2015-03-31/functions/:name/invocations") { request, context in
            try await self.invoke(request, name: context.parameters.get("name") ?? "")
        }
    }

    func invoke(_ request: Request, name: String) async throws -> Response {
        let qualifierParameter = request.uri.queryParameters.get("Qualifier")
        guard let (function, qualifier) = FunctionReference.parse(name.removingPercentEncoding ?? name, qualifier: qualifierParameter),
            let configuration = dispatcher.function(named: function),
            Self.accepts(qualifier, for: configuration)
        else {
            return Self.functionNotFound(name, region: region, accountID: accountID)
        }
        let type = request.headers[HTTPField.Name("X-Amz-Invocation-Type")!] ?? "RequestResponse"
        let limit = type == "Event" ? Self.asynchronousLimit : Self.synchronousLimit
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: limit) } catch {
            return Self.error(.contentTooLarge, "RequestTooLargeException", "Request must be smaller than \(limit) bytes for the InvokeFunction operation")
        }
        var payload = Data(buffer: body)
        if payload.isEmpty { payload = Data("{}".utf8) }
        guard (try? JSONValue.parse(payload)) != nil else {
            return Self.error(.badRequest, "InvalidRequestContentException", "Could not parse request body into json: Unexpected character in payload")
        }
        let trace = request.headers[HTTPField.Name("X-Amzn-Trace-Id")!].flatMap(TraceHeader.init(parsing:)) ?? .generate()
        let clientContext = request.headers[HTTPField.Name("X-Amz-Client-Context")!]
        let invocation = InvocationRequest(function: function, payload: payload, trace: trace, clientContext: clientContext, qualifier: qualifier)
        var headers: HTTPFields = [HTTPField.Name("x-amzn-RequestId")!: invocation.requestID.rawValue]
        switch type {
        case "DryRun":
            return Response(status: .noContent, headers: headers)
        case "Event":
            do throws(DispatchError) { try dispatcher.enqueue(invocation) } catch { return Self.error(error) }
            return Response(status: .accepted, headers: headers)
        case "RequestResponse":
            let result: InvocationResult
            do throws(DispatchError) { result = try await dispatcher.invoke(invocation) } catch { return Self.error(error) }
            headers[HTTPField.Name("X-Amz-Executed-Version")!] = "$LATEST"
            if case .functionError = result.outcome { headers[HTTPField.Name("X-Amz-Function-Error")!] = "Unhandled" }
            if request.headers[HTTPField.Name("X-Amz-Log-Type")!] == "Tail" {
                headers[HTTPField.Name("X-Amz-Log-Result")!] = Self.tail(result.logLines)
            }
            return HTTPResponses.raw(.ok, result.payload, headers: headers)
        default:
            return Self.error(.badRequest, "InvalidParameterValueException", "Unsupported invocation type: \(type)")
        }
    }

    /// The last 4 KB of the invocation's log, base64, as `X-Amz-Log-Result` carries it.
    static func tail(_ lines: [String]) -> String {
        let text = Data(lines.map { $0 + "\n" }.joined().utf8)
        return text.suffix(tailLimit).base64EncodedString()
    }

    static func accepts(_ qualifier: String?, for function: FunctionConfiguration) -> Bool {
        guard let qualifier else { return true }
        return qualifier == "$LATEST" || qualifier == function.autoPublishAlias || qualifier.allSatisfy(\.isNumber)
    }

    static func error(_ error: DispatchError) -> Response {
        switch error.code {
        case .functionNotFound: return Self.error(.notFound, "ResourceNotFoundException", error.message)
        case .throttled:
            return Self.error(.tooManyRequests, "TooManyRequestsException", error.message, reason: "ReservedFunctionConcurrentInvocationLimitExceeded")
        case .circuitOpen: return Self.error(.badGateway, "ServiceException", error.message)
        case .shuttingDown, .workerUnavailable: return Self.error(.serviceUnavailable, "ServiceException", error.message)
        }
    }

    /// `reference` as the caller wrote it (a name, an ARN, with its qualifier).
    static func functionNotFound(_ reference: String, region: String, accountID: String) -> Response {
        let arn = reference.hasPrefix("arn:") ? reference : LambdaARN.function(reference, region: region, accountID: accountID)
        return error(.notFound, "ResourceNotFoundException", "Function not found: \(arn)")
    }

    /// Lambda's REST-JSON error: the code in `x-amzn-ErrorType`, the message in the body.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, reason: String? = nil) -> Response {
        var body: [String: Any] = ["Type": "User", "message": message]
        if let reason { body["Reason"] = reason }
        return HTTPResponses.json(status, body, headers: [HTTPField.Name("x-amzn-ErrorType")!: code])
    }
}

/// The forms Lambda accepts for `FunctionName`: `name`, `name:qualifier`,
/// `ACCOUNT:function:name[:qualifier]` and the full ARN.
enum FunctionReference {
    static func parse(_ reference: String, qualifier: String?) -> (FunctionName, String?)? {
        var parts = reference.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "arn" {
            guard parts.count >= 7, parts[2] == "lambda", parts[5] == "function" else { return nil }
            parts = Array(parts[6...])
        } else if parts.count >= 3, parts[1] == "function" {
            parts = Array(parts[2...])
        }
        guard (1...2).contains(parts.count), let name = FunctionName(parts[0]) else { return nil }
        let embedded = parts.count == 2 ? parts[1] : nil
        if let embedded, let qualifier, embedded != qualifier { return nil }
        // An empty qualifier (`name:` or `?Qualifier=`) names no version or alias.
        if (embedded ?? qualifier)?.isEmpty == true { return nil }
        return (name, embedded ?? qualifier)
    }
}
