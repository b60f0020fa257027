import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with an interim `100 Continue`.
///
/// botocore sends `Expect: 100-continue` on PutObject and UploadPart and then waits up to one
/// second for the interim response before sending the body anyway; Hummingbird does not send it,
/// so without this handler every upload costs a second. Add it to the AWS endpoint's HTTP/1
/// pipeline: `.http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()]))`.
/// Inbound only, so that responses do not pass through it on their way out.
public final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var head) = unwrapInboundIn(data),
            let expect = head.headerFields[.expect], expect.lowercased() == "100-continue"
        {
            head.headerFields[.expect] = nil
            context.writeAndFlush(NIOAny(HTTPResponsePart.head(HTTPResponse(status: .continue))), promise: nil)
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}
