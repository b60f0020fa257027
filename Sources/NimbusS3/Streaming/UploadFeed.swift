import NIOCore
import Synchronization

/// Received bytes on their way to several consumers (the write, the MD5, the other digests), each
/// draining the same FIFO of shared `ByteBuffer`s in order, on pool threads, at its own pace.
///
/// Why not batches with a barrier: MD5 is the slowest consumer and cannot be split, so any moment
/// it waits (for the write and SHA-256 of its batch to end, for the next batch to be handed out)
/// adds to the upload's time. Here a consumer runs whenever bytes wait for it. A buffer is released
/// once every consumer has processed it, and the receiver waits while more than `memoryLimit`
/// bytes are held: a slow disk or hash slows the client down through TCP, and an upload of any
/// size holds a few megabytes.
///
/// A consumer is a job that exits when it has caught up, so no thread sits waiting for bytes; it is
/// started again once `startThreshold` bytes wait for it (or at the end), which keeps a trickle of
/// small reads from costing a thread hop each.
final class UploadFeed: Sendable {
    /// Processes the next buffer; a failure stops the feed and is the upload's failure.
    typealias Consumer = @Sendable (ByteBuffer) throws -> Void
    /// Runs a consumer's job on another thread.
    typealias Executor = @Sendable (@escaping @Sendable () -> Void) -> Void

    /// Stands for the failure of an upload abandoned by its receiver.
    struct Abandoned: Error {}

    private struct Cursor {
        /// Sequence number of the next buffer to process.
        var next = 0
        /// Bytes appended that this consumer has not processed yet.
        var backlog = 0
        var running = false
    }

    /// A suspended receiver, resumed on its own event loop.
    private struct Waiter {
        var continuation: CheckedContinuation<Void, any Error>
        var home: HomeLoop

        func resume(with result: Result<Void, any Error>) { home.resume(continuation, with: result) }
    }

    private struct State {
        /// Buffers not yet processed by every consumer; `buffers[0]` has sequence number `first`.
        var buffers = CircularBuffer<ByteBuffer>()
        var first = 0
        var heldBytes = 0
        var cursors: [Cursor]
        var ended = false
        var failure: (any Error)?
        var spaceWaiter: Waiter?
        var idleWaiter: Waiter?

        var end: Int { first + buffers.count }
        var isIdle: Bool { !cursors.contains { $0.running } }
        var isComplete: Bool { failure != nil || (ended && cursors.allSatisfy { $0.next == end }) }
    }

    private let consumers: [Consumer]
    private let memoryLimit: Int
    private let startThreshold: Int
    private let execute: Executor
    private let state: Mutex<State>

    init(consumers: [Consumer], memoryLimit: Int, startThreshold: Int, execute: @escaping Executor) {
        self.consumers = consumers
        self.memoryLimit = memoryLimit
        self.startThreshold = startThreshold
        self.execute = execute
        state = Mutex(State(cursors: Array(repeating: Cursor(), count: consumers.count)))
    }

    /// Bytes appended and not yet processed by every consumer.
    var heldBytes: Int { state.withLock { $0.heldBytes } }

    /// Queues `buffer` for every consumer; waits while more than `memoryLimit` bytes are held.
    /// Throws a consumer's failure.
    func append(_ buffer: ByteBuffer) async throws {
        let (starting, mustWait) = try state.withLock { state in
            if let failure = state.failure { throw failure }
            state.buffers.append(buffer)
            state.heldBytes += buffer.readableBytes
            var starting: [Int] = []
            for index in state.cursors.indices {
                state.cursors[index].backlog += buffer.readableBytes
                if !state.cursors[index].running && state.cursors[index].backlog >= startThreshold {
                    state.cursors[index].running = true
                    starting.append(index)
                }
            }
            let mustWait = state.heldBytes > memoryLimit
            // About to wait: whatever waits for an idle consumer must get to it, however little.
            if mustWait { starting += startIdleConsumers(&state) }
            return (starting, mustWait)
        }
        for index in starting { start(index) }
        if mustWait {
            let home = HomeLoop.current
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<Void, any Error>? = state.withLock { state in
                    if let failure = state.failure { return .failure(failure) }
                    if state.heldBytes <= resumeLevel { return .success(()) }
                    state.spaceWaiter = Waiter(continuation: continuation, home: home)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// Waits for every consumer to process everything appended; throws the first failure.
    func finish() async throws {
        let starting = state.withLock { state in
            state.ended = true
            return startIdleConsumers(&state)
        }
        for index in starting { start(index) }
        try await waitUntilIdle()
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Stops the consumers (after the buffer each is processing) and waits for them, so that the
    /// upload's writer can be discarded safely.
    func abandon() async {
        state.withLock { state in
            if state.failure == nil { state.failure = Abandoned() }
        }
        try? await waitUntilIdle()
    }

    /// The receiver waiting for space is resumed once this little is held, not at the limit: one
    /// wake-up per few buffers rather than per buffer.
    private var resumeLevel: Int { memoryLimit / 4 * 3 }

    private func startIdleConsumers(_ state: inout State) -> [Int] {
        var starting: [Int] = []
        for index in state.cursors.indices where !state.cursors[index].running && state.cursors[index].backlog > 0 {
            state.cursors[index].running = true
            starting.append(index)
        }
        return starting
    }

    private func waitUntilIdle() async throws {
        let home = HomeLoop.current
        try await withCheckedThrowingContinuation { continuation in
            let done = state.withLock { state in
                if state.isIdle && state.isComplete { return true }
                state.idleWaiter = Waiter(continuation: continuation, home: home)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func start(_ index: Int) {
        execute { [self] in run(index) }
    }

    /// A consumer's job: processes buffers until it has caught up (or the feed failed).
    private func run(_ index: Int) {
        var next = state.withLock { state in takeNext(index, &state) }
        while let buffer = next {
            var outcome: Result<Void, any Error> = .success(())
            do { try consumers[index](buffer) } catch { outcome = .failure(error) }
            let (following, wakeUps) = state.withLock { state in
                if case .failure(let error) = outcome, state.failure == nil { state.failure = error }
                state.cursors[index].next += 1
                state.cursors[index].backlog -= buffer.readableBytes
                releaseProcessed(&state)
                let following = takeNext(index, &state)
                return (following, takeWakeUps(&state))
            }
            wakeUps()
            next = following
        }
        state.withLock { takeWakeUps(&$0) }()
    }

    /// The consumer's next buffer, or nil (and the consumer marked idle) when there is none or the
    /// feed failed.
    private func takeNext(_ index: Int, _ state: inout State) -> ByteBuffer? {
        let next = state.cursors[index].next
        guard state.failure == nil, next < state.end else {
            state.cursors[index].running = false
            return nil
        }
        return state.buffers[state.buffers.index(state.buffers.startIndex, offsetBy: next - state.first)]
    }

    private func releaseProcessed(_ state: inout State) {
        let processed = state.cursors.lazy.map(\.next).min() ?? state.end
        while state.first < processed {
            state.heldBytes -= state.buffers.removeFirst().readableBytes
            state.first += 1
        }
    }

    /// Takes the waiters that can go on; they are resumed after the lock is released.
    private func takeWakeUps(_ state: inout State) -> @Sendable () -> Void {
        var space: (Waiter, Result<Void, any Error>)?
        if let waiter = state.spaceWaiter {
            if let failure = state.failure {
                space = (waiter, .failure(failure))
            } else if state.heldBytes <= resumeLevel {
                space = (waiter, .success(()))
            }
            if space != nil { state.spaceWaiter = nil }
        }
        var idle: Waiter?
        if let waiter = state.idleWaiter, state.isIdle, state.isComplete {
            idle = waiter
            state.idleWaiter = nil
        }
        let wakeUps = (space, idle)
        return {
            if let (waiter, result) = wakeUps.0 { waiter.resume(with: result) }
            wakeUps.1?.resume(with: .success(()))
        }
    }
}
