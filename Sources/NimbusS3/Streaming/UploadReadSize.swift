import NIOCore

/// Lets a connection's socket reads grow past NIO's default 64 KiB, up to `maximum`.
///
/// Every read passes through the HTTP decoder, the request body stream and the upload pipeline;
/// at 64 KiB a 64 MiB upload is a thousand trips, and receiving costs as much CPU as its SHA-256.
/// The allocator is NIO's adaptive one: reads start small and double only while they fill the
/// buffer, so small requests keep small buffers. Add it to the AWS endpoint's HTTP/1 pipeline; it
/// removes itself once the option is set.
public final class UploadReadSize: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny

    private let maximum: Int

    public init(maximum: Int = 1 << 20) {
        self.maximum = maximum
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        let allocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: maximum)
        context.channel.setOption(ChannelOptions.recvAllocator, value: allocator).whenComplete { _ in }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
