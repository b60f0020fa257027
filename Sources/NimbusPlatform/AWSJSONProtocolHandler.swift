import Foundation
import NIOCore
import NIOHTTP1

/// Serves the AWS JSON protocol (`X-Amz-Target` requests: DynamoDB) straight from the AWS
/// endpoint's channel pipeline; every other request passes on to the router (S3, Lambda).
///
/// A DynamoDB call is small and frequent, so the router's per-request task, request context
/// and body stream are a large share of its cost. Here a request is collected, checked and
/// answered on its event loop; the service replies from wherever it ran (inline for point
/// reads, the writer's queue for writes). The handler sits right behind NIO's HTTP/1 parser
/// (``AWSEndpointChannel``) and speaks its types: converting a JSON call's head to HTTPTypes
/// and its answer back was a tenth of its CPU, for nothing the router would see.
///
/// Responses leave in request order, as HTTP/1.1 requires even of pipelining clients: a request
/// waits while an earlier one is still being answered, here or by the router, and reading
/// pauses meanwhile.
final class AWSJSONProtocolHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// One JSON-protocol service: answers a request by calling `reply` once, on any thread.
    typealias Service = @Sendable (_ target: String, _ body: [UInt8], _ reply: @escaping @Sendable (Answer) -> Void) -> Void

    struct Answer: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
    }

    static let bodyLimit = 16 * 1024 * 1024

    private enum Phase {
        case idle
        /// A JSON request's body is being collected (`nil` once it has passed the limit).
        case collecting(HTTPRequestHead, target: String, body: [UInt8]?)
        case answering(version: HTTPVersion, closeAfter: Bool)
        /// The parts of a request for the router are passing through.
        case forwarding
    }

    private let services: [String: Service]
    private let signatures: SignatureCheck
    private var phase = Phase.idle
    /// Parts received but not yet taken, in arrival order.
    private var pending = CircularBuffer<HTTPServerRequestPart>()
    /// Requests passed to the router whose response has not ended yet.
    private var routerResponsesOwed = 0
    private var draining = false
    /// Between `channelRead` and `channelReadComplete`.
    private var inReadCycle = false
    /// Parts were passed on outside a read cycle: the router's channel hands reads to its task
    /// only on `channelReadComplete`, so one has to follow.
    private var owesReadComplete = false
    private var readHeld = false
    private var quiesceHeld = false

    /// `services` by `X-Amz-Target` prefix (`DynamoDB_20120810`).
    init(services: [String: Service], signatures: SignatureCheck) {
        self.services = services
        self.signatures = signatures
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inReadCycle = true
        pending.append(unwrapInboundIn(data))
        drain(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadCycle = false
        owesReadComplete = false
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let ended = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if ended {
            routerResponsesOwed -= 1
            drain(context: context)
        }
    }

    /// Holds reads while requests wait, so a pipelining client can't queue without bound.
    func read(context: ChannelHandlerContext) {
        if pending.isEmpty { context.read() } else { readHeld = true }
    }

    /// A graceful shutdown closes idle connections; the router's handlers can't see a JSON
    /// request in progress, so the event waits for its answer.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !isIdle {
            quiesceHeld = true
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private var isIdle: Bool {
        if case .idle = phase { pending.isEmpty } else { false }
    }

    /// Takes pending parts in order for as long as none has to wait.
    private func drain(context: ChannelHandlerContext) {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while let part = pending.first, take(part, context: context) {
            pending.removeFirst()
        }
        if owesReadComplete {
            owesReadComplete = false
            context.fireChannelReadComplete()
        }
        if pending.isEmpty, readHeld {
            readHeld = false
            context.read()
        }
        if quiesceHeld, isIdle {
            quiesceHeld = false
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Handles one part, or returns false if it must wait.
    private func take(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) -> Bool {
        switch (phase, part) {
        case (.idle, .head(let head)):
            guard let target = head.headers.first(name: Self.target) else {
                forward(part, context: context)
                routerResponsesOwed += 1
                phase = .forwarding
                return true
            }
            guard routerResponsesOwed == 0 else { return false }
            var body: [UInt8] = []
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length <= Self.bodyLimit {
                body.reserveCapacity(length)
            }
            phase = .collecting(head, target: target, body: body)
        case (.collecting(let head, let target, var body), .body(let buffer)):
            phase = .idle  // Lets `body` be appended to without a copy.
            if let count = body?.count, count + buffer.readableBytes <= Self.bodyLimit {
                body!.append(contentsOf: buffer.readableBytesView)
            } else {
                body = nil
            }
            phase = .collecting(head, target: target, body: body)
        case (.collecting(let head, let target, let body), .end):
            phase = .answering(version: head.version, closeAfter: !head.isKeepAlive)
            answer(head, target: target, body: body, context: context)
        case (.forwarding, .body), (.forwarding, .end):
            forward(part, context: context)
            if case .end = part { phase = .idle }
        case (.answering, _):
            return false
        default:
            // The HTTP decoder guarantees head, body…, end; anything else is dropped.
            return true
        }
        return true
    }

    private func forward(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        context.fireChannelRead(wrapInboundOut(part))
        if !inReadCycle { owesReadComplete = true }
    }

    private func answer(_ head: HTTPRequestHead, target: String, body: [UInt8]?, context: ChannelHandlerContext) {
        guard let body else {
            return write(Self.error(413, "RequestEntityTooLarge", "Request body exceeds \(Self.bodyLimit) bytes"), context: context)
        }
        if let rejection = signatures.check(head, body: body, dialect: .json) {
            return send(rejection.status.code, HTTPHeaders(rejection.headers.map { ($0.name.rawName, $0.value) }), rejection.body, context: context)
        }
        guard let service = services[String(target.prefix { $0 != "." })] else {
            return write(Self.error(400, "UnknownOperationException", "Unknown operation \(target)"), context: context)
        }
        let handler = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        service(target, body) { answer in
            if handler.eventLoop.inEventLoop {
                handler.value.0.write(answer, context: handler.value.1)
            } else {
                handler.eventLoop.execute { handler.value.0.write(answer, context: handler.value.1) }
            }
        }
    }

    private func write(_ answer: Answer, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.reserveCapacity(answer.headers.count + 2)  // `send` adds Content-Length, maybe Connection.
        headers.add(contentsOf: answer.headers)
        send(answer.status, headers, answer.body, context: context)
    }

    /// Writes the response to the request being answered, then takes the next one.
    private func send(_ status: Int, _ headers: HTTPHeaders, _ body: [UInt8], context: ChannelHandlerContext) {
        guard case .answering(let version, let closeAfter) = phase else { return }
        var headers = headers
        headers.add(name: "Content-Length", value: String(body.count))
        if closeAfter { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: .init(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        if closeAfter {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        phase = .idle
        drain(context: context)
    }

    static let target = "X-Amz-Target"

    static func error(_ status: Int, _ type: String, _ message: String) -> Answer {
        let body = (try? JSONSerialization.data(withJSONObject: ["__type": type, "message": message])) ?? Data()
        return Answer(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array(body))
    }
}
