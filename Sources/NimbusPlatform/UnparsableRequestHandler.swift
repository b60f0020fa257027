import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser refuses (a request line or header that is not HTTP, a bad
/// `Content-Length`, broken chunked framing) in the AWS endpoint's dialects, where Hummingbird
/// would send a bare `400` without a body that no SDK can read an error code from.
///
/// Before a request has begun, nothing tells which service it was for: S3, the endpoint's default
/// dialect, answers (`BadRequest`, as S3 does). A JSON request's body is collected by
/// `AWSJSONProtocolHandler`, so a break inside it is answered here as a SerializationException.
/// A break inside an S3 body goes on to the S3 handler reading that body, which answers it.
/// Either answer waits for the responses still owed to earlier pipelined requests, then the
/// connection closes: the parser cannot go on after an error.
///
/// Sits first among the endpoint's handlers, right behind the parser (``AWSEndpointChannel``), so
/// it sees every request part and response part.
final class UnparsableRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The S3 dialect's answer, made when needed (it takes a request id).
    typealias S3Answer = @Sendable () -> AWSJSONProtocolHandler.Answer

    private let s3Answer: S3Answer
    /// Requests whose response has not ended.
    private var unanswered = 0
    /// The request whose head has arrived and whose end has not, if any: is it a JSON request?
    private var openRequestIsJSON: Bool?
    private var answer: AWSJSONProtocolHandler.Answer?
    private var answered = false

    init(s3Answer: @escaping S3Answer) {
        self.s3Answer = s3Answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            unanswered += 1
            openRequestIsJSON = head.headers.contains(name: AWSJSONProtocolHandler.target)
        case .end:
            openRequestIsJSON = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let ended = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if ended {
            unanswered -= 1
            sendAnswerIfDue(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, openRequestIsJSON != false else { return context.fireErrorCaught(error) }
        guard answer == nil, !answered else { return }
        answer = openRequestIsJSON == true
            ? AWSJSONProtocolHandler.error(400, "SerializationException", "The request body is not valid HTTP chunked framing")
            : s3Answer()
        sendAnswerIfDue(context: context)
    }

    /// Sends the answer once only the broken request (if it had begun) is still owed one.
    private func sendAnswerIfDue(context: ChannelHandlerContext) {
        guard let answer, !answered, unanswered == (openRequestIsJSON == nil ? 0 : 1) else { return }
        answered = true
        var headers = HTTPHeaders(answer.headers)
        headers.add(name: "Content-Length", value: String(answer.body.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: answer.status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
