import NIOCore
import NIOPosix

/// Runs blocking disk work (fsync, rename), and hashing that must overlap a request's own work,
/// on threads of its own.
///
/// `fsync` takes milliseconds; on the cooperative pool (one thread per core) a few of them would
/// stall every request. Many threads also let concurrent PUTs share the file system's journal
/// commits, which is where durable-write throughput comes from. Tasks run on the event loops here
/// (`nimbus` makes them Swift's global executor) and stay on their connection's loop, so a child
/// task does not run beside its parent: work meant to run in parallel goes here.
enum BlockingIO {
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    /// Runs `body` on the pool; the caller resumes on its own event loop (see ``HomeLoop``).
    /// Queued work runs even if the caller's task is cancelled meanwhile: it is a write's commit,
    /// which must not depend on whether the client is still waiting for the answer.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let home = HomeLoop.current
        return try await withCheckedThrowingContinuation { continuation in
            pool.submit { state in
                guard case .active = state else {
                    home.resume(continuation, with: .failure(NIOThreadPoolError.ThreadPoolInactive()))
                    return
                }
                home.resume(continuation, with: Result(catching: body))
            }
        }
    }

    /// Runs `body` on the pool, for work that reports its outcome itself.
    @Sendable static func execute(_ body: @escaping @Sendable () -> Void) {
        pool.submit { _ in body() }
    }
}
