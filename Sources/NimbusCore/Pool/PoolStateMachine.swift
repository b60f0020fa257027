/// The worker pool of one function as a pure state machine: events in, actions out.
///
/// The executor (an actor) owns the processes and the waiting callers; this type only decides.
/// It reads no clock (every event carries `now`) and does no I/O, so every transition is tested
/// without processes. The executor performs the returned actions in order and reports what
/// happened back as further events.
///
/// Guarantees, for every sequence of events:
/// - starting + idle + busy workers never exceed `maxCapacity`, and at most `maxConcurrentStarts` start at once;
/// - waiters are served first in, first out, each resolved (assigned or failed) at most once;
/// - a worker is handed to one waiter at a time, and never while it is idle with a waiter queued;
/// - `minCapacity` workers are kept (refilled after crashes, backing off after failed starts);
/// - idle workers above `minCapacity` stop after `idleTimeout`, oldest first.
public struct PoolStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        /// Spawn this worker, then report ``workerStarted(_:now:)`` or ``workerStartFailed(_:reason:now:)``.
        case startWorker(WorkerID)
        /// Resume the waiter with this worker; it is busy until ``release(_:reusable:now:)``.
        case assign(WorkerID, to: WaiterID)
        /// Resume the waiter with this failure.
        case fail(WaiterID, PoolFailure)
        /// Terminate this worker, then report ``workerExited(_:now:)``.
        case stopWorker(WorkerID)
    }

    struct Waiter: Sendable {
        var id: WaiterID
        var enqueuedAt: ContinuousClock.Instant
    }

    enum Lifecycle: Sendable {
        case running
        case shuttingDown
    }

    enum WorkerIDSource: Sendable {
        /// Shared with other pools so ids are unique stack-wide.
        case allocator(@Sendable () -> WorkerID)
        case counter(next: Int)
    }

    /// The configuration as given; see ``PoolStateMachine`` for how odd values are treated.
    public let configuration: PoolConfiguration

    var workers: [WorkerID: WorkerState] = [:]
    /// Oldest first.
    var waiters: [Waiter] = []
    var lifecycle = Lifecycle.running
    var idSource: WorkerIDSource
    /// Failed starts since the last successful one; drives the warm-refill backoff.
    var consecutiveStartFailures = 0
    /// After a failed start, `minCapacity` is not refilled before this, so a runtime that cannot
    /// start does not spin. Starts for queued waiters do not wait: each failure resolves a waiter.
    var warmRefillNotBefore: ContinuousClock.Instant?

    /// A pool whose worker ids come from `idAllocator`, so they are unique across pools.
    public init(configuration: PoolConfiguration, idAllocator: @escaping @Sendable () -> WorkerID) {
        self.configuration = configuration
        self.idSource = .allocator(idAllocator)
    }

    /// A pool that numbers its own workers from `firstWorkerID` (tests, single-pool use).
    public init(configuration: PoolConfiguration, firstWorkerID: Int = 1) {
        self.configuration = configuration
        self.idSource = .counter(next: firstWorkerID)
    }

    // MARK: - Events

    /// Begins: starts the `minCapacity` warm workers (at most `maxConcurrentStarts` at once;
    /// the rest follow as these become ready).
    public mutating func start(now: ContinuousClock.Instant) -> [Action] {
        startWorkersIfNeeded(now: now)
    }

    /// A caller wants a worker. Served at once by the most recently used idle worker (so the
    /// others can idle out); otherwise queued, starting a worker if capacity allows.
    public mutating func acquire(_ waiter: WaiterID, now: ContinuousClock.Instant) -> [Action] {
        guard case .running = lifecycle else { return [.fail(waiter, .shuttingDown)] }
        precondition(!waiters.contains { $0.id == waiter }, "\(waiter) is already waiting")

        if let worker = mostRecentlyUsedIdleWorker() {
            workers[worker] = .busy(since: now)
            return [.assign(worker, to: waiter)]
        }
        // With no capacity at all, waiting could only end in a timeout: fail now, as AWS
        // throttles a function whose reserved concurrency is zero.
        guard waiters.count < maxQueueLength, maxCapacity > 0 else { return [.fail(waiter, .queueFull)] }

        waiters.append(Waiter(id: waiter, enqueuedAt: now))
        return startWorkersIfNeeded(now: now)
    }

    /// The caller gave up (its task was cancelled). The executor resumes it itself; a waiter
    /// already assigned or failed is unknown here and ignored. A worker starting on its behalf
    /// keeps starting and becomes idle or serves the next waiter.
    public mutating func cancel(_ waiter: WaiterID) -> [Action] {
        if let index = waiters.firstIndex(where: { $0.id == waiter }) {
            waiters.remove(at: index)
        }
        return []
    }

    /// A worker is ready: it serves the oldest waiter or becomes idle.
    public mutating func workerStarted(_ worker: WorkerID, now: ContinuousClock.Instant) -> [Action] {
        // A worker stopped while starting (shutdown) stays stopping until it exits.
        guard case .starting = workers[worker] else { return [] }
        consecutiveStartFailures = 0
        warmRefillNotBefore = nil
        // Its start slot is free again: more may start for waiters still queued.
        return handOut(worker, now: now) + startWorkersIfNeeded(now: now)
    }

    /// A worker could not start. It is forgotten, and the oldest waiter fails with the reason so
    /// init errors reach a caller instead of every waiter timing out; the others stay queued and
    /// another start is tried for them.
    public mutating func workerStartFailed(_ worker: WorkerID, reason: String, now: ContinuousClock.Instant) -> [Action]
    {
        switch workers[worker] {
        case .starting:
            workers[worker] = nil
            return startFailed(reason: reason, now: now)
        case .stopping:
            workers[worker] = nil
            return []
        case .idle, .busy, nil:
            return []
        }
    }

    /// An invocation is done. A reusable worker serves the oldest waiter or becomes idle (its idle
    /// clock restarts now). One that died or timed out (`reusable: false`) is stopped, and a
    /// replacement starts if waiters or `minCapacity` need it. During shutdown every released
    /// worker is stopped.
    public mutating func release(_ worker: WorkerID, reusable: Bool, now: ContinuousClock.Instant) -> [Action] {
        // Unknown: it exited while busy and was already forgotten. Not busy: a double release.
        guard case .busy = workers[worker] else { return [] }
        guard case .running = lifecycle, reusable else {
            workers[worker] = .stopping
            return [.stopWorker(worker)] + startWorkersIfNeeded(now: now)
        }
        return handOut(worker, now: now)
    }

    /// A worker's process is gone, in whatever state. A busy worker's invocation is the executor's
    /// to fail; a starting one counts as a failed start. Replacements start for waiters and
    /// `minCapacity`.
    public mutating func workerExited(_ worker: WorkerID, now: ContinuousClock.Instant) -> [Action] {
        switch workers[worker] {
        case nil:
            return []
        case .stopping:
            workers[worker] = nil
            return []
        case .starting:
            workers[worker] = nil
            return startFailed(reason: "worker \(worker) exited before it was ready", now: now)
        case .idle, .busy:
            workers[worker] = nil
            return startWorkersIfNeeded(now: now)
        }
    }

    /// Periodic, at the latest at ``nextDeadline``: fails waiters queued longer than
    /// `acquireTimeout`, stops workers idle longer than `idleTimeout` above `minCapacity` (oldest
    /// idle first), and refills `minCapacity` once a start-failure backoff has passed.
    public mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        guard case .running = lifecycle else { return [] }
        var actions: [Action] = []
        let timeout = configuration.acquireTimeout
        // Filtered rather than cut as a prefix, so a non-monotonic `now` cannot strand a waiter.
        waiters.removeAll { waiter in
            guard waiter.enqueuedAt + timeout <= now else { return false }
            actions.append(.fail(waiter.id, .acquireTimeout))
            return true
        }
        actions += stopExpiredIdleWorkers(now: now)
        actions += startWorkersIfNeeded(now: now)
        return actions
    }

    /// Fails every waiter with ``PoolFailure/shuttingDown`` and stops idle and starting workers.
    /// Busy workers are stopped when released. Afterwards `acquire` fails at once and no worker
    /// is started. Calling it again does nothing.
    public mutating func shutdown() -> [Action] {
        guard case .running = lifecycle else { return [] }
        lifecycle = .shuttingDown
        var actions = waiters.map { Action.fail($0.id, .shuttingDown) }
        waiters.removeAll()
        for (worker, state) in workers.sorted(by: { $0.key < $1.key }) {
            switch state {
            case .starting, .idle:
                workers[worker] = .stopping
                actions.append(.stopWorker(worker))
            case .busy, .stopping:
                break
            }
        }
        return actions
    }
}
