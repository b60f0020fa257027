// How the pool decides to grow and shrink, and what it reports.
extension PoolStateMachine {
    /// The first backoff before refilling `minCapacity` after a failed start; doubles per
    /// consecutive failure up to ``warmRefillBackoffLimit``.
    static let warmRefillBackoffBase: Duration = .seconds(1)
    static let warmRefillBackoffLimit: Duration = .seconds(30)

    // Configuration made consistent, so odd values cannot break the invariants.
    var maxCapacity: Int { max(configuration.maxCapacity, 0) }
    var minCapacity: Int { min(max(configuration.minCapacity, 0), maxCapacity) }
    var maxConcurrentStarts: Int { max(configuration.maxConcurrentStarts, 1) }
    var maxQueueLength: Int { max(configuration.maxQueueLength, 0) }

    struct Counts {
        var starting = 0
        var idle = 0
        var busy = 0
        var stopping = 0
        /// What counts against capacity.
        var total: Int { starting + idle + busy }
    }

    var counts: Counts {
        var counts = Counts()
        for state in workers.values {
            switch state {
            case .starting: counts.starting += 1
            case .idle: counts.idle += 1
            case .busy: counts.busy += 1
            case .stopping: counts.stopping += 1
            }
        }
        return counts
    }

    public var snapshot: PoolSnapshot {
        let counts = self.counts
        return PoolSnapshot(
            totalWorkers: counts.total,
            idle: counts.idle,
            busy: counts.busy,
            provisioning: counts.starting,
            queueLength: waiters.count,
            workers: workers
        )
    }

    /// The earliest instant at which ``tick(now:)`` has something to do: the oldest waiter's
    /// acquire timeout, the oldest idle worker's expiry (only above `minCapacity`), or the end of
    /// a warm-refill backoff. Nil when only an event can change anything.
    public var nextDeadline: ContinuousClock.Instant? {
        guard case .running = lifecycle else { return nil }
        let counts = self.counts
        var deadlines: [ContinuousClock.Instant] = []
        if let oldest = waiters.map(\.enqueuedAt).min() {
            deadlines.append(oldest + configuration.acquireTimeout)
        }
        if counts.total > minCapacity, let oldestIdle = idleWorkersOldestFirst.first {
            deadlines.append(oldestIdle.since + configuration.idleTimeout)
        }
        // Only when the refill could start something then; otherwise a worker event will.
        if let notBefore = warmRefillNotBefore, counts.total < minCapacity, counts.starting < maxConcurrentStarts {
            deadlines.append(notBefore)
        }
        return deadlines.min()
    }

    /// Idle workers, least recently used first (ties by id, for a deterministic order).
    var idleWorkersOldestFirst: [(worker: WorkerID, since: ContinuousClock.Instant)] {
        workers.compactMap { worker, state in
            if case .idle(let since) = state { (worker, since) } else { nil }
        }
        .sorted { ($0.since, $0.worker) < ($1.since, $1.worker) }
    }

    func mostRecentlyUsedIdleWorker() -> WorkerID? {
        idleWorkersOldestFirst.last?.worker
    }

    /// A ready worker serves the oldest waiter, or waits idle from `now`.
    mutating func handOut(_ worker: WorkerID, now: ContinuousClock.Instant) -> [Action] {
        guard !waiters.isEmpty else {
            workers[worker] = .idle(since: now)
            return []
        }
        let waiter = waiters.removeFirst()
        workers[worker] = .busy(since: now)
        return [.assign(worker, to: waiter.id)]
    }

    mutating func startFailed(reason: String, now: ContinuousClock.Instant) -> [Action] {
        consecutiveStartFailures += 1
        let exponent = min(consecutiveStartFailures - 1, 16)
        warmRefillNotBefore = now + min(Self.warmRefillBackoffBase * (1 << exponent), Self.warmRefillBackoffLimit)
        var actions: [Action] = []
        if !waiters.isEmpty {
            actions.append(.fail(waiters.removeFirst().id, .startFailed(reason)))
        }
        return actions + startWorkersIfNeeded(now: now)
    }

    /// Starts as many workers as the waiters not already covered by a starting worker, and the
    /// `minCapacity` deficit, need: bounded by capacity and by `maxConcurrentStarts`.
    mutating func startWorkersIfNeeded(now: ContinuousClock.Instant) -> [Action] {
        guard case .running = lifecycle else { return [] }
        if let notBefore = warmRefillNotBefore, notBefore <= now {
            warmRefillNotBefore = nil
        }
        let counts = self.counts
        // Every starting worker will serve a waiter (the oldest) when ready.
        let forWaiters = waiters.count - counts.starting
        let forWarm = warmRefillNotBefore == nil ? minCapacity - counts.total : 0
        let starts = min(max(forWaiters, forWarm, 0), maxCapacity - counts.total, maxConcurrentStarts - counts.starting)
        guard starts > 0 else { return [] }
        return (0..<starts).map { _ in
            let worker = allocateWorkerID()
            workers[worker] = .starting
            return .startWorker(worker)
        }
    }

    /// Stops idle workers past `idleTimeout`, least recently used first, down to `minCapacity`.
    mutating func stopExpiredIdleWorkers(now: ContinuousClock.Instant) -> [Action] {
        var total = counts.total
        var actions: [Action] = []
        for (worker, since) in idleWorkersOldestFirst {
            guard total > minCapacity, since + configuration.idleTimeout <= now else { break }
            workers[worker] = .stopping
            total -= 1
            actions.append(.stopWorker(worker))
        }
        return actions
    }

    mutating func allocateWorkerID() -> WorkerID {
        switch idSource {
        case .allocator(let allocate):
            let worker = allocate()
            precondition(workers[worker] == nil, "the id allocator returned \(worker) twice")
            return worker
        case .counter(let next):
            idSource = .counter(next: next + 1)
            return WorkerID(next)
        }
    }
}
