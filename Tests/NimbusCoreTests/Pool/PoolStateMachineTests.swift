import NimbusCore
import Synchronization
import Testing

/// The one clock reading of these tests: every instant is an offset from it, so nothing sleeps.
private let t0 = ContinuousClock.now

private let a = WaiterID(1)
private let b = WaiterID(2)
private let c = WaiterID(3)
private let d = WaiterID(4)

@Suite struct PoolStateMachineTests {
    // MARK: Configuration

    @Test func configurationDefaults() {
        let configuration = PoolConfiguration()
        #expect(configuration.maxCapacity == 10)
        #expect(configuration.minCapacity == 0)
        #expect(configuration.acquireTimeout == .seconds(10))
        #expect(configuration.idleTimeout == .seconds(300))
        #expect(configuration.maxConcurrentStarts == 2)
        #expect(configuration.maxQueueLength == 1000)
    }

    @Test func minCapacityAboveMaxCapacityIsCappedAtMaxCapacity() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 2, minCapacity: 5, maxConcurrentStarts: 5))
        #expect(pool.start(now: t0) == [.startWorker(WorkerID(1)), .startWorker(WorkerID(2))])
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [])
        #expect(pool.workerStarted(WorkerID(2), now: t0) == [])
        #expect(pool.snapshot.totalWorkers == 2)
    }

    @Test func zeroMaxCapacityThrottlesEveryAcquireAtOnce() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 0, minCapacity: 2))
        #expect(pool.start(now: t0) == [])
        #expect(pool.acquire(a, now: t0) == [.fail(a, .queueFull)])
        #expect(pool.snapshot.queueLength == 0)
    }

    // MARK: start

    @Test(arguments: [(0, 2), (1, 2), (3, 1), (5, 2), (4, 4)])
    func startWarmsMinCapacityAtMostMaxConcurrentStartsAtATime(minCapacity: Int, maxConcurrentStarts: Int) {
        var pool = PoolStateMachine(
            configuration: .init(maxCapacity: 10, minCapacity: minCapacity, maxConcurrentStarts: maxConcurrentStarts)
        )
        var pending = pool.start(now: t0).startedWorkers
        #expect(pending.count == min(minCapacity, maxConcurrentStarts))
        var started = 0
        while !pending.isEmpty {
            #expect(pool.snapshot.provisioning <= maxConcurrentStarts)
            // A warm worker with nobody waiting only frees a start slot for the next one.
            let actions = pool.workerStarted(pending.removeFirst(), now: t0)
            #expect(actions.startedWorkers.count == actions.count)
            pending += actions.startedWorkers
            started += 1
        }
        #expect(started == minCapacity)
        #expect(pool.snapshot.idle == minCapacity)
        #expect(pool.snapshot.totalWorkers == minCapacity)
        #expect(pool.nextDeadline == nil, "warm workers never idle out")
    }

    // MARK: acquire

    @Test func acquireHandsOutTheMostRecentlyUsedIdleWorkerFirst() {
        let configuration = PoolConfiguration(maxCapacity: 3, maxConcurrentStarts: 3)
        var pool = PoolStateMachine.withIdleWorkers(
            releasedAt: [t0 + .seconds(2), t0 + .seconds(3), t0 + .seconds(1)],
            configuration: configuration,
            start: t0
        )
        #expect(pool.acquire(a, now: t0 + .seconds(4)) == [.assign(WorkerID(2), to: a)])
        #expect(pool.acquire(b, now: t0 + .seconds(4)) == [.assign(WorkerID(1), to: b)])
        #expect(pool.acquire(c, now: t0 + .seconds(4)) == [.assign(WorkerID(3), to: c)])
        #expect(pool.snapshot.busy == 3)
    }

    @Test func acquireWithoutIdleWorkerQueuesAndStartsOne() {
        var pool = PoolStateMachine(configuration: .init())
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.snapshot.provisioning == 1)
        #expect(pool.snapshot.queueLength == 1)
        #expect(pool.snapshot.workers == [WorkerID(1): .starting])

        #expect(pool.workerStarted(WorkerID(1), now: t0 + .seconds(1)) == [.assign(WorkerID(1), to: a)])
        #expect(pool.snapshot.queueLength == 0)
        #expect(pool.snapshot.workers == [WorkerID(1): .busy(since: t0 + .seconds(1))])
    }

    @Test func acquireOnlyQueuesWhenStartsInFlightAreAtTheLimit() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 10, maxConcurrentStarts: 2))
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.acquire(b, now: t0) == [.startWorker(WorkerID(2))])
        #expect(pool.acquire(c, now: t0) == [])
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [.assign(WorkerID(1), to: a), .startWorker(WorkerID(3))])
    }

    @Test func waitersAtCapacityAreServedFirstInFirstOut() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 1))
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.acquire(b, now: t0) == [])
        #expect(pool.acquire(c, now: t0) == [])
        #expect(pool.snapshot.totalWorkers == 1)
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [.assign(WorkerID(1), to: a)])
        #expect(pool.release(WorkerID(1), reusable: true, now: t0) == [.assign(WorkerID(1), to: b)])
        #expect(pool.release(WorkerID(1), reusable: true, now: t0) == [.assign(WorkerID(1), to: c)])
        #expect(pool.release(WorkerID(1), reusable: true, now: t0) == [])
        #expect(pool.snapshot.idle == 1)
    }

    @Test(arguments: [1, 2, 3, 5])
    func burstStartsAtMostMaxConcurrentStartsWorkersAtOnce(maxConcurrentStarts: Int) {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 10, maxConcurrentStarts: maxConcurrentStarts))
        let waiters = (1...10).map(WaiterID.init)
        var pending: [WorkerID] = []
        for waiter in waiters {
            pending += pool.acquire(waiter, now: t0).startedWorkers
        }
        #expect(pending.count == maxConcurrentStarts)

        var served: [WaiterID] = []
        while !pending.isEmpty {
            let worker = pending.removeFirst()
            let actions = pool.workerStarted(worker, now: t0)
            guard case .assign(worker, let waiter) = actions.first else {
                Issue.record("expected \(worker) to be assigned, got \(actions)")
                return
            }
            served.append(waiter)
            pending += actions.startedWorkers
            #expect(pool.snapshot.provisioning <= maxConcurrentStarts)
            #expect(pool.snapshot.totalWorkers <= 10)
        }
        #expect(served == waiters)
    }

    @Test(arguments: [0, 1, 3])
    func acquireBeyondMaxQueueLengthFailsAtOnce(maxQueueLength: Int) {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 1, maxQueueLength: maxQueueLength))
        for index in 0..<maxQueueLength {
            let expected: [PoolStateMachine.Action] = index == 0 ? [.startWorker(WorkerID(1))] : []
            #expect(pool.acquire(WaiterID(index), now: t0) == expected)
        }
        #expect(pool.acquire(WaiterID(99), now: t0) == [.fail(WaiterID(99), .queueFull)])
        #expect(pool.snapshot.queueLength == maxQueueLength)
    }

    // MARK: cancel

    @Test func cancelledWaiterIsSkipped() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 1))
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.acquire(b, now: t0) == [])
        #expect(pool.acquire(c, now: t0) == [])
        #expect(pool.cancel(b) == [])
        #expect(pool.snapshot.queueLength == 2)
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [.assign(WorkerID(1), to: a)])
        #expect(pool.release(WorkerID(1), reusable: true, now: t0) == [.assign(WorkerID(1), to: c)])
    }

    @Test func cancelOfTheOnlyWaiterLeavesTheStartingWorkerIdle() {
        var pool = PoolStateMachine(configuration: .init())
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.cancel(a) == [])
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [])
        #expect(pool.snapshot.workers == [WorkerID(1): .idle(since: t0)])
    }

    @Test func cancelOfAnUnknownOrAssignedWaiterIsIgnored() {
        var pool = PoolStateMachine.withBusyWorkers(1, configuration: .init(), now: t0)
        let before = pool.snapshot
        #expect(pool.cancel(WaiterID(1001)) == [])
        #expect(pool.cancel(WaiterID(42)) == [])
        #expect(pool.snapshot == before)
    }

    // MARK: workerStarted / workerStartFailed

    @Test func startedWorkerWithoutWaitersBecomesIdle() {
        var pool = PoolStateMachine(configuration: .init(minCapacity: 1))
        #expect(pool.start(now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.workerStarted(WorkerID(1), now: t0 + .seconds(2)) == [])
        #expect(pool.snapshot.workers == [WorkerID(1): .idle(since: t0 + .seconds(2))])
    }

    @Test func reportsAboutWorkersThatAreNotStartingAreIgnored() {
        var pool = PoolStateMachine.withIdleWorkers(releasedAt: [t0], configuration: .init(), start: t0)
        _ = pool.acquire(a, now: t0)
        _ = pool.acquire(b, now: t0)  // starts worker 2
        let before = pool.snapshot
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [], "busy")
        #expect(pool.workerStarted(WorkerID(99), now: t0) == [], "unknown")
        #expect(pool.workerStartFailed(WorkerID(1), reason: "late", now: t0) == [], "busy")
        #expect(pool.workerStartFailed(WorkerID(99), reason: "late", now: t0) == [], "unknown")
        #expect(pool.snapshot == before)
    }

    @Test func failedStartFailsTheOldestWaiterOnlyAndRetriesForTheRest() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 2, maxConcurrentStarts: 2))
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.acquire(b, now: t0) == [.startWorker(WorkerID(2))])
        #expect(pool.acquire(c, now: t0) == [])
        #expect(
            pool.workerStartFailed(WorkerID(1), reason: "ImportModuleError", now: t0)
                == [.fail(a, .startFailed("ImportModuleError")), .startWorker(WorkerID(3))]
        )
        #expect(pool.snapshot.workers == [WorkerID(2): .starting, WorkerID(3): .starting])
        #expect(pool.workerStarted(WorkerID(2), now: t0) == [.assign(WorkerID(2), to: b)])
        #expect(pool.workerStarted(WorkerID(3), now: t0) == [.assign(WorkerID(3), to: c)])
    }

    @Test func repeatedFailedStartsResolveOneWaiterEachSoACrashingInitCannotSpin() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 1))
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.acquire(b, now: t0) == [])
        #expect(
            pool.workerStartFailed(WorkerID(1), reason: "x", now: t0) == [
                .fail(a, .startFailed("x")), .startWorker(WorkerID(2)),
            ]
        )
        #expect(pool.workerStartFailed(WorkerID(2), reason: "x", now: t0) == [.fail(b, .startFailed("x"))])
        #expect(pool.snapshot.workers.isEmpty)
        #expect(pool.nextDeadline == nil)
    }

    @Test func warmRefillAfterFailedStartsBacksOffExponentiallyAndResetsOnSuccess() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 2, minCapacity: 1))
        #expect(pool.start(now: t0) == [.startWorker(WorkerID(1))])
        var now = t0
        var worker = 1
        for backoff in [1, 2, 4, 8, 16, 30, 30] {
            #expect(pool.workerStartFailed(WorkerID(worker), reason: "boom", now: now) == [])
            #expect(pool.nextDeadline == now + .seconds(backoff))
            #expect(pool.tick(now: now + .seconds(backoff) - .milliseconds(1)) == [])
            now += .seconds(backoff)
            worker += 1
            #expect(pool.tick(now: now) == [.startWorker(WorkerID(worker))])
            #expect(pool.nextDeadline == nil)
        }
        #expect(pool.workerStarted(WorkerID(worker), now: now) == [])
        // A crash after a good start is refilled at once: the backoff was reset.
        #expect(pool.workerExited(WorkerID(worker), now: now) == [.startWorker(WorkerID(worker + 1))])
        #expect(pool.workerStartFailed(WorkerID(worker + 1), reason: "boom", now: now) == [])
        #expect(pool.nextDeadline == now + .seconds(1))
    }

    // MARK: release

    @Test func reusableReleaseMakesTheWorkerIdleFromNow() {
        var pool = PoolStateMachine.withBusyWorkers(1, configuration: .init(), now: t0)
        #expect(pool.release(WorkerID(1), reusable: true, now: t0 + .seconds(7)) == [])
        #expect(pool.snapshot.workers == [WorkerID(1): .idle(since: t0 + .seconds(7))])
    }

    @Test func reusableReleaseServesTheOldestWaiter() {
        var pool = PoolStateMachine.withBusyWorkers(1, configuration: .init(maxCapacity: 1), now: t0)
        #expect(pool.acquire(a, now: t0) == [])
        #expect(pool.acquire(b, now: t0) == [])
        #expect(pool.release(WorkerID(1), reusable: true, now: t0 + .seconds(1)) == [.assign(WorkerID(1), to: a)])
        #expect(pool.snapshot.workers == [WorkerID(1): .busy(since: t0 + .seconds(1))])
    }

    @Test(arguments: [
        (false, 0, [PoolStateMachine.Action.stopWorker(WorkerID(1))]),
        (false, 1, [.stopWorker(WorkerID(1)), .startWorker(WorkerID(2))]),
        (true, 0, [.stopWorker(WorkerID(1)), .startWorker(WorkerID(2))]),
        (true, 1, [.stopWorker(WorkerID(1)), .startWorker(WorkerID(2))]),
    ])
    func brokenWorkerIsStoppedAndReplacedWhenNeeded(
        waiterQueued: Bool,
        minCapacity: Int,
        expected: [PoolStateMachine.Action]
    ) {
        var pool = PoolStateMachine.withBusyWorkers(
            1,
            configuration: .init(maxCapacity: 1, minCapacity: minCapacity),
            now: t0
        )
        if waiterQueued {
            #expect(pool.acquire(a, now: t0) == [])
        }
        #expect(pool.release(WorkerID(1), reusable: false, now: t0) == expected)
        #expect(pool.snapshot.workers[WorkerID(1)] == .stopping)
        #expect(pool.snapshot.totalWorkers == expected.count - 1, "a stopping worker leaves room for its replacement")
        #expect(pool.workerExited(WorkerID(1), now: t0) == [])
        #expect(pool.snapshot.workers[WorkerID(1)] == nil)
    }

    @Test func releaseOfAWorkerThatIsNotBusyIsIgnored() {
        var pool = PoolStateMachine.withIdleWorkers(releasedAt: [t0], configuration: .init(), start: t0)
        _ = pool.acquire(a, now: t0)  // worker 1 busy
        _ = pool.acquire(b, now: t0)  // worker 2 starting
        _ = pool.release(WorkerID(1), reusable: false, now: t0)  // worker 1 stopping
        let before = pool.snapshot
        for worker in [1, 2, 99].map(WorkerID.init) {
            #expect(pool.release(worker, reusable: true, now: t0) == [])
            #expect(pool.release(worker, reusable: false, now: t0) == [])
        }
        #expect(pool.snapshot == before)
    }

    // MARK: workerExited

    @Test(arguments: [(WorkerID(1), 0), (WorkerID(2), 0), (WorkerID(1), 2), (WorkerID(2), 2)])
    func crashedWorkerIsForgottenAndMinCapacityRefilled(worker: WorkerID, minCapacity: Int) {
        // Worker 1 busy, worker 2 idle.
        var pool = PoolStateMachine.withBusyWorkers(
            2,
            configuration: .init(maxCapacity: 3, minCapacity: minCapacity),
            now: t0
        )
        #expect(pool.release(WorkerID(2), reusable: true, now: t0) == [])
        let expected: [PoolStateMachine.Action] = minCapacity == 2 ? [.startWorker(WorkerID(3))] : []
        #expect(pool.workerExited(worker, now: t0) == expected)
        #expect(pool.snapshot.workers[worker] == nil)
        // The busy worker's invocation is the executor's to fail; a late release is ignored.
        #expect(pool.release(worker, reusable: true, now: t0) == [])
    }

    @Test func crashedWorkerIsReplacedForQueuedWaiters() {
        var pool = PoolStateMachine.withBusyWorkers(1, configuration: .init(maxCapacity: 1), now: t0)
        #expect(pool.acquire(a, now: t0) == [])
        #expect(pool.workerExited(WorkerID(1), now: t0) == [.startWorker(WorkerID(2))])
        #expect(pool.workerStarted(WorkerID(2), now: t0) == [.assign(WorkerID(2), to: a)])
    }

    @Test func workerExitingWhileStartingCountsAsAFailedStart() {
        var pool = PoolStateMachine(configuration: .init())
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        let actions = pool.workerExited(WorkerID(1), now: t0)
        guard actions.count == 1, case .fail(a, .startFailed(let reason)) = actions[0] else {
            Issue.record("expected one startFailed for \(a), got \(actions)")
            return
        }
        #expect(reason.contains("w1"))
        #expect(pool.snapshot.workers.isEmpty)
        // The executor may still report the failed start: the worker is already forgotten.
        #expect(pool.workerStartFailed(WorkerID(1), reason: "exit 1", now: t0) == [])
    }

    @Test func stoppingOrUnknownWorkerExitingIsForgottenQuietly() {
        var pool = PoolStateMachine.withBusyWorkers(1, configuration: .init(), now: t0)
        #expect(pool.release(WorkerID(1), reusable: false, now: t0) == [.stopWorker(WorkerID(1))])
        #expect(pool.workerExited(WorkerID(1), now: t0) == [])
        #expect(pool.workerExited(WorkerID(1), now: t0) == [])
        #expect(pool.workerExited(WorkerID(99), now: t0) == [])
        #expect(pool.snapshot.workers.isEmpty)
    }

    // MARK: tick

    @Test func tickFailsWaitersQueuedLongerThanAcquireTimeout() {
        var pool = PoolStateMachine.withBusyWorkers(
            1,
            configuration: .init(maxCapacity: 1, acquireTimeout: .seconds(10)),
            now: t0
        )
        #expect(pool.acquire(a, now: t0) == [])
        #expect(pool.acquire(b, now: t0 + .seconds(5)) == [])
        #expect(pool.tick(now: t0 + .seconds(10) - .milliseconds(1)) == [])
        #expect(pool.tick(now: t0 + .seconds(10)) == [.fail(a, .acquireTimeout)])
        #expect(pool.snapshot.queueLength == 1)
        #expect(pool.tick(now: t0 + .seconds(20)) == [.fail(b, .acquireTimeout)])
        #expect(pool.release(WorkerID(1), reusable: true, now: t0 + .seconds(21)) == [], "no waiter is served twice")
    }

    @Test(arguments: [0, 1, 2, 3])
    func tickStopsExpiredIdleWorkersOldestFirstDownToMinCapacity(minCapacity: Int) {
        let configuration = PoolConfiguration(
            maxCapacity: 3,
            minCapacity: minCapacity,
            idleTimeout: .seconds(300),
            maxConcurrentStarts: 3
        )
        var pool = PoolStateMachine.withIdleWorkers(
            releasedAt: [t0 + .seconds(1), t0 + .seconds(2), t0 + .seconds(3)],
            configuration: configuration,
            start: t0
        )
        let expected = (1...3).prefix(3 - minCapacity).map { PoolStateMachine.Action.stopWorker(WorkerID($0)) }

        #expect(pool.tick(now: t0 + .seconds(300)) == [])
        let first = pool.tick(now: t0 + .seconds(301))
        #expect(first == Array(expected.prefix(1)))
        let rest = pool.tick(now: t0 + .seconds(1000))
        #expect(first + rest == expected)
        #expect(pool.snapshot.totalWorkers == minCapacity)
        #expect(pool.nextDeadline == nil)
    }

    @Test func steadyTrafficKeepsItsWorkerAndScalesToZeroAfterwards() {
        // ASC-006 then ASC-005: requests every 30 s keep the worker past several idle windows;
        // once they stop, it is stopped one idle window after its last release.
        let configuration = PoolConfiguration(idleTimeout: .seconds(60))
        var pool = PoolStateMachine.withIdleWorkers(releasedAt: [t0], configuration: configuration, start: t0)
        var lastRelease = t0
        for second in stride(from: 30, through: 600, by: 30) {
            let now = t0 + .seconds(second)
            #expect(pool.tick(now: now) == [])
            #expect(pool.acquire(WaiterID(second), now: now) == [.assign(WorkerID(1), to: WaiterID(second))])
            lastRelease = now + .seconds(1)
            #expect(pool.release(WorkerID(1), reusable: true, now: lastRelease) == [])
            #expect(pool.nextDeadline == lastRelease + .seconds(60))
        }
        #expect(pool.tick(now: lastRelease + .seconds(59)) == [])
        #expect(pool.tick(now: lastRelease + .seconds(60)) == [.stopWorker(WorkerID(1))])
        #expect(pool.workerExited(WorkerID(1), now: lastRelease + .seconds(61)) == [])
        #expect(pool.snapshot.totalWorkers == 0)
        #expect(pool.acquire(a, now: lastRelease + .seconds(62)) == [.startWorker(WorkerID(2))])
    }

    @Test func trafficThatOneWorkerCanServeLetsTheOthersIdleOut() {
        let configuration = PoolConfiguration(idleTimeout: .seconds(60))
        var pool = PoolStateMachine.withIdleWorkers(
            releasedAt: [t0, t0 + .seconds(1)],
            configuration: configuration,
            start: t0
        )
        for second in [20, 40] {
            #expect(
                pool.acquire(WaiterID(second), now: t0 + .seconds(second)) == [
                    .assign(WorkerID(2), to: WaiterID(second))
                ]
            )
            #expect(pool.release(WorkerID(2), reusable: true, now: t0 + .seconds(second + 1)) == [])
        }
        #expect(pool.tick(now: t0 + .seconds(60)) == [.stopWorker(WorkerID(1))])
    }

    // MARK: nextDeadline

    @Test func nextDeadlineIsTheEarliestWaiterTimeoutOrIdleExpiry() {
        var pool = PoolStateMachine(configuration: .init(acquireTimeout: .seconds(10), idleTimeout: .seconds(300)))
        #expect(pool.nextDeadline == nil)
        _ = pool.acquire(a, now: t0)
        #expect(pool.nextDeadline == t0 + .seconds(10))
        _ = pool.acquire(b, now: t0 + .seconds(3))
        #expect(pool.nextDeadline == t0 + .seconds(10))
        _ = pool.workerStarted(WorkerID(1), now: t0 + .seconds(4))
        #expect(pool.nextDeadline == t0 + .seconds(13))
        _ = pool.workerStarted(WorkerID(2), now: t0 + .seconds(5))
        #expect(pool.nextDeadline == nil, "busy workers do not expire")
        _ = pool.release(WorkerID(1), reusable: true, now: t0 + .seconds(6))
        _ = pool.release(WorkerID(2), reusable: true, now: t0 + .seconds(7))
        #expect(pool.nextDeadline == t0 + .seconds(306))
    }

    @Test(arguments: [(0, true), (1, true), (2, false)])
    func nextDeadlineIgnoresIdleWorkersKeptForMinCapacity(minCapacity: Int, expiring: Bool) {
        let configuration = PoolConfiguration(maxCapacity: 2, minCapacity: minCapacity, idleTimeout: .seconds(300))
        let pool = PoolStateMachine.withIdleWorkers(
            releasedAt: [t0, t0 + .seconds(1)],
            configuration: configuration,
            start: t0
        )
        #expect(pool.nextDeadline == (expiring ? t0 + .seconds(300) : nil))
    }

    // MARK: shutdown

    @Test func shutdownFailsWaitersStopsStartingWorkersAndBusyOnesOnRelease() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 2, maxConcurrentStarts: 2))
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(1))])
        #expect(pool.acquire(b, now: t0) == [.startWorker(WorkerID(2))])
        #expect(pool.acquire(c, now: t0) == [])
        #expect(pool.workerStarted(WorkerID(1), now: t0) == [.assign(WorkerID(1), to: a)])

        #expect(
            pool.shutdown() == [.fail(b, .shuttingDown), .fail(c, .shuttingDown), .stopWorker(WorkerID(2))]
        )
        #expect(pool.shutdown() == [])
        #expect(pool.workerStarted(WorkerID(2), now: t0) == [])
        #expect(pool.snapshot.workers == [WorkerID(1): .busy(since: t0), WorkerID(2): .stopping])
        #expect(pool.acquire(d, now: t0) == [.fail(d, .shuttingDown)])
        #expect(pool.start(now: t0) == [])
        #expect(pool.tick(now: t0 + .seconds(1000)) == [])
        #expect(pool.nextDeadline == nil)

        #expect(pool.release(WorkerID(1), reusable: true, now: t0) == [.stopWorker(WorkerID(1))])
        #expect(pool.workerExited(WorkerID(1), now: t0) == [])
        #expect(pool.workerStartFailed(WorkerID(2), reason: "killed", now: t0) == [])
        #expect(pool.snapshot.workers.isEmpty)
    }

    @Test func shutdownStopsIdleWorkersAndDoesNotRefillMinCapacity() {
        let configuration = PoolConfiguration(maxCapacity: 3, minCapacity: 2)
        var pool = PoolStateMachine.withIdleWorkers(releasedAt: [t0, t0], configuration: configuration, start: t0)
        #expect(pool.shutdown() == [.stopWorker(WorkerID(1)), .stopWorker(WorkerID(2))])
        #expect(pool.workerExited(WorkerID(1), now: t0) == [])
        #expect(pool.workerExited(WorkerID(2), now: t0) == [])
        #expect(pool.snapshot.totalWorkers == 0)
    }

    // MARK: snapshot and ids

    @Test func snapshotCountsEveryStateAndLeavesStoppingOutOfTheTotal() {
        var pool = PoolStateMachine(configuration: .init(maxCapacity: 3, maxConcurrentStarts: 2))
        _ = pool.acquire(a, now: t0)
        _ = pool.workerStarted(WorkerID(1), now: t0)
        _ = pool.acquire(b, now: t0)
        _ = pool.workerStarted(WorkerID(2), now: t0 + .seconds(1))
        _ = pool.release(WorkerID(2), reusable: true, now: t0 + .seconds(2))
        #expect(pool.release(WorkerID(1), reusable: false, now: t0 + .seconds(3)) == [.stopWorker(WorkerID(1))])
        #expect(
            pool.snapshot
                == PoolSnapshot(
                    totalWorkers: 1,
                    idle: 1,
                    busy: 0,
                    provisioning: 0,
                    queueLength: 0,
                    workers: [WorkerID(1): .stopping, WorkerID(2): .idle(since: t0 + .seconds(2))]
                )
        )

        #expect(pool.acquire(c, now: t0 + .seconds(4)) == [.assign(WorkerID(2), to: c)])
        #expect(pool.acquire(d, now: t0 + .seconds(4)) == [.startWorker(WorkerID(3))])
        #expect(
            pool.snapshot
                == PoolSnapshot(
                    totalWorkers: 2,
                    idle: 0,
                    busy: 1,
                    provisioning: 1,
                    queueLength: 1,
                    workers: [
                        WorkerID(1): .stopping, WorkerID(2): .busy(since: t0 + .seconds(4)), WorkerID(3): .starting,
                    ]
                )
        )
    }

    @Test func workerIDsComeFromTheSharedAllocator() {
        final class Counter: Sendable {
            let next = Mutex(100)
        }
        let counter = Counter()
        let allocate: @Sendable () -> WorkerID = {
            counter.next.withLock { next in
                defer { next += 1 }
                return WorkerID(next)
            }
        }
        var echo = PoolStateMachine(configuration: .init(), idAllocator: allocate)
        var faulty = PoolStateMachine(configuration: .init(), idAllocator: allocate)
        #expect(echo.acquire(a, now: t0) == [.startWorker(WorkerID(100))])
        #expect(faulty.acquire(a, now: t0) == [.startWorker(WorkerID(101))])
        #expect(echo.acquire(b, now: t0) == [.startWorker(WorkerID(102))])
    }

    @Test func firstWorkerIDSetsWhereALocalPoolStartsCounting() {
        var pool = PoolStateMachine(configuration: .init(), firstWorkerID: 40)
        #expect(pool.acquire(a, now: t0) == [.startWorker(WorkerID(40))])
        #expect(pool.acquire(b, now: t0) == [.startWorker(WorkerID(41))])
    }
}
