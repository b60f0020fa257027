import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import NimbusCore

/// The Lambda Runtime API for one worker, on its own loopback port, as AWS gives every
/// execution environment its own `AWS_LAMBDA_RUNTIME_API` endpoint.
///
/// Plain SwiftNIO handlers rather than a web framework: every invocation crosses this API
/// twice (`next`, then `response`), and four fixed routes need no router, request context or
/// task per request.
struct RuntimeAPIServer {
    static let maximumResponseSize = 6 * 1024 * 1024

    let channel: RuntimeChannel
    let logger: Logger

    /// Serves until the surrounding task is cancelled; `onListening` gets the bound port.
    func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let runtime = channel
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try child.pipeline.syncOperations.addHandler(RuntimeAPIHandler(runtime: runtime))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        onListening(server.localAddress?.port ?? 0)
        await withTaskCancellationHandler {
            try? await server.closeFuture.get()
        } onCancel: {
            server.close(promise: nil)
        }
    }
}

/// One runtime connection: reads a request, answers it, keeps the connection for the next.
private final class RuntimeAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let runtime: RuntimeChannel
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(runtime: RuntimeChannel) {
        self.runtime = runtime
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            bodyTooLarge = false
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if body.readableBytes + chunk.readableBytes > RuntimeAPIServer.maximumResponseSize {
                bodyTooLarge = true
                body = ByteBuffer()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            route(head, context: context)
        }
    }

    private func route(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
        let parts = path.split(separator: "/")
        guard parts.count >= 3, parts[0] == "2018-06-01", parts[1] == "runtime" else { return notFound(head, context) }
        switch (head.method, parts[2...]) {
        case (.GET, ["invocation", "next"]):
            next(head, context: context)
        case (.POST, let rest) where rest.count == 3 && rest.first == "invocation" && (rest.last == "response" || rest.last == "error"):
            guard let id = InvocationID(String(rest[rest.startIndex + 1])) else {
                return respond(head, context, Self.invalidRequestID)
            }
            if rest.last == "response" { completeResponse(id, head, context) } else { completeError(id, head, context) }
        case (.POST, ["init", "error"]):
            let (type, payload) = Self.errorReport(head: head, body: body)
            runtime.initFailed(type: type, payload: payload)
            respond(head, context, Self.accepted)
        default:
            notFound(head, context)
        }
    }

    /// Answers when the pool hands this worker an invocation, on this connection's event loop.
    private func next(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        runtime.next { invocation in
            let answer = {
                let (handler, context) = bound.value
                handler.respond(head, context, invocation.map(Self.nextResponse) ?? Self.gone)
            }
            if loop.inEventLoop { answer() } else { loop.execute(answer) }
        }
    }

    private func completeResponse(_ id: InvocationID, _ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        guard !bodyTooLarge else {
            let limit = RuntimeAPIServer.maximumResponseSize
            let message = "Response payload size exceeded maximum allowed payload size (\(limit) bytes)."
            let payload = JSONValue.object(["errorMessage": .string(message), "errorType": "Function.ResponseSizeTooLarge"])
            _ = runtime.complete(id, with: .error(type: "Function.ResponseSizeTooLarge", payload: payload.jsonData()))
            return respond(head, context, Self.json(.payloadTooLarge, ["errorMessage": message, "errorType": "RequestEntityTooLarge"]))
        }
        let accepted = runtime.complete(id, with: .response(Data(buffer: body)))
        respond(head, context, accepted ? Self.accepted : Self.invalidRequestID)
    }

    private func completeError(_ id: InvocationID, _ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        let (type, payload) = Self.errorReport(head: head, body: body)
        let accepted = runtime.complete(id, with: .error(type: type, payload: payload))
        respond(head, context, accepted ? Self.accepted : Self.invalidRequestID)
    }

    private func notFound(_ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        respond(head, context, Self.json(.notFound, ["errorMessage": "Not found", "errorType": "NotFound"]))
    }

    // MARK: Responses

    private struct Answer {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    private func respond(_ request: HTTPRequestHead, _ context: ChannelHandlerContext, _ answer: Answer) {
        var headers = answer.headers
        headers.add(name: "Content-Length", value: String(answer.body.readableBytes))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: answer.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private static func nextResponse(_ invocation: PendingInvocation) -> Answer {
        let request = invocation.request
        var headers: HTTPHeaders = [
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": request.requestID.rawValue,
            "Lambda-Runtime-Deadline-Ms": String(Int64(invocation.deadline.timeIntervalSince1970 * 1000)),
            "Lambda-Runtime-Invoked-Function-Arn": invocation.functionARN,
            "Lambda-Runtime-Trace-Id": request.trace.description,
        ]
        if let clientContext = request.clientContext { headers.add(name: "Lambda-Runtime-Client-Context", value: clientContext) }
        if let identity = request.cognitoIdentity { headers.add(name: "Lambda-Runtime-Cognito-Identity", value: identity) }
        return Answer(status: .ok, headers: headers, body: ByteBuffer(bytes: request.payload))
    }

    /// The error type comes from the body's `errorType`, else the
    /// `Lambda-Runtime-Function-Error-Type` header, else `Unhandled`.
    private static func errorReport(head: HTTPRequestHead, body: ByteBuffer) -> (String, Data) {
        let data = Data(buffer: body)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let header = head.headers.first(name: "Lambda-Runtime-Function-Error-Type")
        let type = (object?["errorType"] as? String) ?? header ?? "Unhandled"
        guard object != nil else {
            let message = String(decoding: data, as: UTF8.self)
            return (type, JSONValue.object(["errorType": .string(type), "errorMessage": .string(message)]).jsonData())
        }
        return (type, data)
    }

    private static let accepted = json(.accepted, ["status": "OK"])
    private static let invalidRequestID = json(.badRequest, ["errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"])
    private static let gone = json(.gone, ["errorMessage": "Worker is shutting down", "errorType": "ShuttingDown"])

    private static func json(_ status: HTTPResponseStatus, _ fields: [String: String]) -> Answer {
        Answer(
            status: status, headers: ["Content-Type": "application/json"],
            body: ByteBuffer(bytes: JSONValue.object(fields.mapValues(JSONValue.string)).jsonData()))
    }
}
