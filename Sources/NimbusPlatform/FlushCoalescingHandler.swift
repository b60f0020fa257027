import NIOCore
import NIOPosix

/// Holds back an answer written while its request was being read (a DynamoDB read answered in
/// the pipeline) as long as its event loop is still reading requests that were ready together, and
/// sends the held answers at the end of the loop's pass.
///
/// On two cores shared with the clients, flushing every such answer at once woke its client while
/// the loop still had requests to read, and the two took turns: a context switch per request. Now
/// the first answer of a pass leaves at once (a lone request waits for nothing) and the others
/// leave together when NIO runs its queued tasks, which it does after the I/O it found ready.
/// Answers written later, from a task (DynamoDB writes, the router), leave at once: holding them
/// delayed the clients' next writes and thinned the writer's group commits.
final class FlushCoalescingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private var reading = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        context.fireChannelRead(data)
        reading = false
    }

    func flush(context: ChannelHandlerContext) {
        if reading { LoopPass.current.flush(context) } else { context.flush() }
    }
}

/// The flushes made during one pass of the event loop that runs on this thread.
private final class LoopPass: @unchecked Sendable {  // Only ever touched by its own thread.
    private static let perThread = ThreadSpecificVariable<LoopPass>()

    static var current: LoopPass {
        if let pass = perThread.currentValue { return pass }
        let pass = LoopPass()
        perThread.currentValue = pass
        return pass
    }

    private var flushedOne = false
    private var held: [ChannelHandlerContext] = []

    func flush(_ context: ChannelHandlerContext) {
        guard flushedOne else {
            flushedOne = true
            context.flush()
            context.eventLoop.execute { LoopPass.current.end() }
            return
        }
        held.append(context)
    }

    private func end() {
        flushedOne = false
        let contexts = held
        held.removeAll(keepingCapacity: true)
        for context in contexts { context.flush() }
    }
}
