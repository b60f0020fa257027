import NIOCore
import NIOHTTP1

/// Answers `Expect: 100-continue` with an interim `100 Continue`.
///
/// botocore sends `Expect: 100-continue` on PutObject and UploadPart and then waits up to one
/// second for the interim response before sending the body anyway; Hummingbird does not send it,
/// so without this handler every upload costs a second. It goes right behind NIO's HTTP/1 parser,
/// ahead of the AWS endpoint's JSON handler, so JSON requests get the same answer.
/// Inbound only, so that responses do not pass through it on their way out.
public final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias InboundOut = HTTPServerRequestPart

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var head) = unwrapInboundIn(data),
            let expect = head.headers.first(name: "expect"), expect.lowercased() == "100-continue"
        {
            head.headers.remove(name: "expect")
            let interim = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.head(interim)), promise: nil)
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}
