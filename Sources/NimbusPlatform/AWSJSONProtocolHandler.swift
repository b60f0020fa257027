import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Serves the AWS JSON protocol (`X-Amz-Target` requests: DynamoDB) straight from the AWS
/// endpoint's channel pipeline; every other request passes on to the router (S3, Lambda).
///
/// A DynamoDB call is small and frequent, so the router's per-request task, request context
/// and body stream are a large share of its cost. Here a request is collected, checked and
/// answered on its event loop; the service replies from wherever it ran (inline for point
/// reads, the writer's queue for writes).
///
/// Responses leave in request order, as HTTP/1.1 requires even of pipelining clients: a request
/// waits while an earlier one is still being answered, here or by the router, and reading
/// pauses meanwhile.
final class AWSJSONProtocolHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

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
        case collecting(HTTPRequest, target: String, body: [UInt8]?)
        case answering(closeAfter: Bool)
        /// The parts of a request for the router are passing through.
        case forwarding
    }

    private let services: [String: Service]
    private let signatures: SignatureCheck
    private var phase = Phase.idle
    /// Parts received but not yet taken, in arrival order.
    private var pending = CircularBuffer<HTTPRequestPart>()
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
    private func take(_ part: HTTPRequestPart, context: ChannelHandlerContext) -> Bool {
        switch (phase, part) {
        case (.idle, .head(let head)):
            guard let target = head.headerFields[Self.target] else {
                forward(part, context: context)
                routerResponsesOwed += 1
                phase = .forwarding
                return true
            }
            guard routerResponsesOwed == 0 else { return false }
            var body: [UInt8] = []
            if let length = head.headerFields[.contentLength].flatMap(Int.init), length <= Self.bodyLimit {
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
            let closeAfter = head.headerFields[.connection]?.lowercased() == "close"
            phase = .answering(closeAfter: closeAfter)
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

    private func forward(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        context.fireChannelRead(wrapInboundOut(part))
        if !inReadCycle { owesReadComplete = true }
    }

    private func answer(_ head: HTTPRequest, target: String, body: [UInt8]?, context: ChannelHandlerContext) {
        guard let body else {
            return write(Self.error(413, "RequestEntityTooLarge", "Request body exceeds \(Self.bodyLimit) bytes"), context: context)
        }
        if let rejection = signatures.check(head, body: body, dialect: .json) {
            return send(rejection.status, rejection.headers, rejection.body, context: context)
        }
        let prefix = target.split(separator: ".", maxSplits: 1).first.map(String.init) ?? target
        guard let service = services[prefix] else {
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
        var fields = HTTPFields()
        fields.reserveCapacity(answer.headers.count + 2)
        for (name, value) in answer.headers {
            if let field = Self.fieldNames[name] ?? HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        send(.init(code: answer.status), fields, answer.body, context: context)
    }

    /// Writes the response to the request being answered, then takes the next one.
    private func send(_ status: HTTPResponse.Status, _ fields: HTTPFields, _ body: [UInt8], context: ChannelHandlerContext) {
        guard case .answering(let closeAfter) = phase else { return }
        var fields = fields
        fields.append(HTTPField(name: .contentLength, value: String(body.count)))
        if closeAfter { fields.append(HTTPField(name: .connection, value: "close")) }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        if closeAfter {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        phase = .idle
        drain(context: context)
    }

    static let target = HTTPField.Name("X-Amz-Target")!
    /// The names every JSON response carries, validated once rather than per response.
    private static let fieldNames: [String: HTTPField.Name] = Dictionary(
        uniqueKeysWithValues: ["Content-Type", "x-amzn-RequestId", "x-amz-crc32"].map { ($0, HTTPField.Name($0)!) })

    static func error(_ status: Int, _ type: String, _ message: String) -> Answer {
        let body = (try? JSONSerialization.data(withJSONObject: ["__type": type, "message": message])) ?? Data()
        return Answer(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array(body))
    }
}
