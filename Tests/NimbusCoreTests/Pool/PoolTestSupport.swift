import NimbusCore

extension PoolStateMachine {
    /// A pool whose workers `1...count` are busy with waiters `1001...`, all handed out at `now`.
    static func withBusyWorkers(_ count: Int, configuration: PoolConfiguration, now: ContinuousClock.Instant) -> Self {
        var pool = PoolStateMachine(configuration: configuration)
        var pending: [WorkerID] = []
        for index in 1...count {
            pending += pool.acquire(WaiterID(1000 + index), now: now).startedWorkers
        }
        while !pending.isEmpty {
            pending += pool.workerStarted(pending.removeFirst(), now: now).startedWorkers
        }
        return pool
    }

    /// A pool whose workers `1...releaseTimes.count` are idle, worker `n` released at `releaseTimes[n - 1]`.
    static func withIdleWorkers(
        releasedAt releaseTimes: [ContinuousClock.Instant],
        configuration: PoolConfiguration,
        start: ContinuousClock.Instant
    ) -> Self {
        var pool = withBusyWorkers(releaseTimes.count, configuration: configuration, now: start)
        for (index, time) in releaseTimes.enumerated() {
            _ = pool.release(WorkerID(index + 1), reusable: true, now: time)
        }
        return pool
    }
}

extension [PoolStateMachine.Action] {
    var startedWorkers: [WorkerID] {
        compactMap { if case .startWorker(let worker) = $0 { worker } else { nil } }
    }
}
