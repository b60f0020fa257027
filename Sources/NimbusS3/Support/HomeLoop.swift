import NIOCore
import NIOPosix

/// The event loop a task was running on when it handed work to another thread, so that the work's
/// outcome resumes the task there.
///
/// `nimbus` makes the event loops Swift's global executor. A continuation resumed from a pool
/// thread queues its task on whichever loop comes next, and the task's reply then hops again, to
/// its connection's loop: two wake-ups of a sleeping CPU (tens of microseconds each on a VM)
/// where one will do. Resumed from its own loop, the task stays there.
struct HomeLoop: Sendable {
    private let loop: (any EventLoop)?

    /// The loop running the caller when it is one of the global executor's loops (NIO's singleton
    /// group, which never shuts down, so a resumption sent there is never dropped); otherwise none,
    /// and resuming is direct.
    static var current: HomeLoop {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop, executorLoops.contains(ObjectIdentifier(loop)) else {
            return HomeLoop(loop: nil)
        }
        return HomeLoop(loop: loop)
    }

    private static let executorLoops = Set(MultiThreadedEventLoopGroup.singleton.makeIterator().map { ObjectIdentifier($0) })

    func resume<T: Sendable>(_ continuation: CheckedContinuation<T, any Error>, with result: Result<T, any Error>) {
        guard let loop, !loop.inEventLoop else {
            continuation.resume(with: result)
            return
        }
        loop.execute { continuation.resume(with: result) }
    }
}
