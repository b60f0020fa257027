import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NimbusCore

/// The Lambda Runtime API for one worker, on its own loopback port, as AWS gives every
/// execution environment its own `AWS_LAMBDA_RUNTIME_API` endpoint.
struct RuntimeAPIServer {
    static let maximumResponseSize = 6 * 1024 * 1024

    let channel: RuntimeChannel
    let logger: Logger

    /// Serves until the surrounding task is cancelled; `onListening` gets the bound port.
    func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { onListening($0.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.run()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let channel = self.channel
        let runtime = router.group("2018-06-01/runtime")
        runtime.get("invocation/next") { _, _ -> Response in
            guard let invocation = await channel.next() else {
                return Self.json(.gone, ["errorMessage": "Worker is shutting down", "errorType": "ShuttingDown"])
            }
            return Self.nextResponse(invocation)
        }
        runtime.post("invocation/:id/response") { request, context -> Response in
            guard let id = context.parameters.get("id").flatMap(InvocationID.init) else { return Self.invalidRequestID }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: Self.maximumResponseSize) } catch {
                let message = "Response payload size exceeded maximum allowed payload size (\(Self.maximumResponseSize) bytes)."
                let payload = JSONValue.object(["errorMessage": .string(message), "errorType": .string("Function.ResponseSizeTooLarge")])
                _ = channel.complete(id, with: .error(type: "Function.ResponseSizeTooLarge", payload: payload.jsonData()))
                return Self.json(.contentTooLarge, ["errorMessage": message, "errorType": "RequestEntityTooLarge"])
            }
            guard channel.complete(id, with: .response(Data(buffer: body))) else { return Self.invalidRequestID }
            return Self.accepted
        }
        runtime.post("invocation/:id/error") { request, context -> Response in
            guard let id = context.parameters.get("id").flatMap(InvocationID.init) else { return Self.invalidRequestID }
            let body = try await request.body.collect(upTo: Self.maximumResponseSize)
            let (type, payload) = Self.errorReport(request: request, body: body)
            guard channel.complete(id, with: .error(type: type, payload: payload)) else { return Self.invalidRequestID }
            return Self.accepted
        }
        runtime.post("init/error") { request, _ -> Response in
            let body = try await request.body.collect(upTo: Self.maximumResponseSize)
            let (type, payload) = Self.errorReport(request: request, body: body)
            channel.initFailed(type: type, payload: payload)
            return Self.accepted
        }
        return router
    }

    /// The error type comes from the body's `errorType`, else the
    /// `Lambda-Runtime-Function-Error-Type` header, else `Unhandled`.
    private static func errorReport(request: Request, body: ByteBuffer) -> (String, Data) {
        let data = Data(buffer: body)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let header = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]
        let type = (object?["errorType"] as? String) ?? header ?? "Unhandled"
        guard object != nil else {
            let message = String(decoding: data, as: UTF8.self)
            return (type, JSONValue.object(["errorType": .string(type), "errorMessage": .string(message)]).jsonData())
        }
        return (type, data)
    }

    private static func nextResponse(_ invocation: PendingInvocation) -> Response {
        let request = invocation.request
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[RuntimeHeader.requestID] = request.requestID.rawValue
        headers[RuntimeHeader.deadline] = String(Int64(invocation.deadline.timeIntervalSince1970 * 1000))
        headers[RuntimeHeader.functionARN] = invocation.functionARN
        headers[RuntimeHeader.traceID] = request.trace.description
        if let clientContext = request.clientContext { headers[RuntimeHeader.clientContext] = clientContext }
        if let identity = request.cognitoIdentity { headers[RuntimeHeader.cognitoIdentity] = identity }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: request.payload)))
    }

    private static let accepted = json(.accepted, ["status": "OK"])
    private static let invalidRequestID = json(
        .badRequest, ["errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"])

    private static func json(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let body = JSONValue.object(fields.mapValues(JSONValue.string)).jsonData()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The Runtime API's headers, as AWS names them.
enum RuntimeHeader {
    static let requestID = HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!
    static let deadline = HTTPField.Name("Lambda-Runtime-Deadline-Ms")!
    static let functionARN = HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!
    static let traceID = HTTPField.Name("Lambda-Runtime-Trace-Id")!
    static let clientContext = HTTPField.Name("Lambda-Runtime-Client-Context")!
    static let cognitoIdentity = HTTPField.Name("Lambda-Runtime-Cognito-Identity")!
}
