import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel for the AWS endpoint, with the endpoint's own handlers right
/// behind NIO's HTTP/1 parser, ahead of the conversion to HTTPTypes that the router needs, and
/// flushes held to the end of the loop's pass (``FlushCoalescingHandler``).
///
/// `HTTP1Channel`'s additional handlers go after that conversion; a DynamoDB call, answered
/// without the router, would pay for it in and out for nothing.
struct AWSEndpointChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    /// The handlers for one connection, in pipeline order.
    let parserSideHandlers: @Sendable () -> [any ChannelHandler]

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandlers(parserSideHandlers(), position: .before(try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)))
            try pipeline.addHandler(FlushCoalescingHandler(), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
