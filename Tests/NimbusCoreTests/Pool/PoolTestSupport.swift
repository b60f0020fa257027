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

/// SplitMix64: a tiny seeded generator, so a randomized run can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
