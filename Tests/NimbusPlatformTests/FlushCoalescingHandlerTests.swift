import NIOCore
import NIOEmbedded
import Testing

@testable import NimbusPlatform

/// Answers written while their request is read leave at once for the first connection of a loop's
/// pass and at the end of the pass for the others; answers written outside a read leave at once.
@Suite struct FlushCoalescingHandlerTests {
    /// Answers every read in the read itself, as the JSON handler answers a GetItem.
    final class Echo: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
    }

    static func connection(on loop: EmbeddedEventLoop) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandlers([FlushCoalescingHandler(), Echo()])
        return channel
    }

    static func sent(_ channel: EmbeddedChannel) throws -> String? {
        try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) }
    }

    @Test func laterAnswersOfAPassLeaveTogetherAtItsEnd() throws {
        let loop = EmbeddedEventLoop()
        let connections = try (0..<3).map { _ in try Self.connection(on: loop) }
        for (index, connection) in connections.enumerated() {
            try connection.writeInbound(ByteBuffer(string: "request \(index)"))
        }
        #expect(try Self.sent(connections[0]) == "request 0", "the first answer of a pass waits for nothing")
        #expect(try Self.sent(connections[1]) == nil)
        #expect(try Self.sent(connections[2]) == nil)
        loop.run()  // NIO runs queued tasks after the I/O it found ready: the end of the pass.
        #expect(try Self.sent(connections[1]) == "request 1")
        #expect(try Self.sent(connections[2]) == "request 2")

        try connections[2].writeInbound(ByteBuffer(string: "next pass"))
        #expect(try Self.sent(connections[2]) == "next pass")
        loop.run()
    }

    @Test func answersWrittenOutsideAReadLeaveAtOnce() throws {
        let loop = EmbeddedEventLoop()
        let reading = try Self.connection(on: loop)
        let replying = try Self.connection(on: loop)
        try reading.writeInbound(ByteBuffer(string: "opens a pass"))
        try replying.writeAndFlush(ByteBuffer(string: "from a task")).wait()
        #expect(try Self.sent(replying) == "from a task")
        loop.run()
    }
}
