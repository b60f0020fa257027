import NimbusCore
import Testing

/// Drives the pool with thousands of random events, playing the executor (performing every
/// action and reporting back), and checks the invariants after each one. A failure names its
/// seed and step, so it replays exactly.
@Suite struct PoolStateMachineInvariantTests {
    static let configurations: [PoolConfiguration] = [
        .init(
            maxCapacity: 1,
            acquireTimeout: .seconds(5),
            idleTimeout: .seconds(20),
            maxConcurrentStarts: 1,
            maxQueueLength: 5
        ),
        .init(
            maxCapacity: 4,
            minCapacity: 1,
            acquireTimeout: .seconds(8),
            idleTimeout: .seconds(15),
            maxQueueLength: 10
        ),
        .init(
            maxCapacity: 10,
            minCapacity: 3,
            acquireTimeout: .seconds(10),
            idleTimeout: .seconds(30),
            maxConcurrentStarts: 3
        ),
        .init(
            maxCapacity: 3,
            minCapacity: 5,
            acquireTimeout: .seconds(3),
            idleTimeout: .seconds(10),
            maxConcurrentStarts: 0,
            maxQueueLength: 0
        ),
    ]

    @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64], PoolStateMachineInvariantTests.configurations)
    func randomEventsKeepEveryInvariant(seed: UInt64, configuration: PoolConfiguration) {
        let simulation = PoolSimulation(configuration: configuration, seed: seed)
        simulation.run(events: 4000, shutdownAfter: 3600)
        #expect(simulation.violations.isEmpty, "seed \(seed): \(simulation.violations.prefix(5))")
        #expect(simulation.stats.assigned > 0)
        #expect(simulation.stats.failedStarts > 0)
    }
}

/// The executor's side of the pool, kept from the actions alone, checked against the machine.
/// A class, so checks can read its state while recording into it.
final class PoolSimulation {
    enum Phase: Equatable {
        case starting
        case idle
        case busy(WaiterID)
        /// `startPending`: stopped before its start was reported; a report may still come.
        case stopping(startPending: Bool)
    }

    struct Stats {
        var assigned = 0
        var failed = 0
        var cancelled = 0
        var failedStarts = 0
    }

    let configuration: PoolConfiguration
    var machine: PoolStateMachine
    var random: SplitMix64
    var now = ContinuousClock.now
    var step = 0
    var event = ""

    var workers: [WorkerID: Phase] = [:]
    var everStarted: Set<WorkerID> = []
    /// Queued waiters, oldest first, with when they queued.
    var queue: [(id: WaiterID, at: ContinuousClock.Instant)] = []
    var nextWaiter = 1
    var resolved: [WaiterID: String] = [:]
    var isShutDown = false
    /// A start failed since the last successful one, so `minCapacity` may be backing off.
    var warmRefillMayBeBackingOff = false
    var stats = Stats()
    var violations: [String] = []

    var maxCapacity: Int { max(configuration.maxCapacity, 0) }
    var minCapacity: Int { min(max(configuration.minCapacity, 0), maxCapacity) }
    var maxConcurrentStarts: Int { max(configuration.maxConcurrentStarts, 1) }
    var maxQueueLength: Int { max(configuration.maxQueueLength, 0) }

    init(configuration: PoolConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.machine = PoolStateMachine(configuration: configuration)
        self.random = SplitMix64(seed: seed)
    }

    func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { violations.append("step \(step) after \(event): \(message())") }
    }

    // MARK: Running

    func run(events: Int, shutdownAfter: Int) {
        perform(machine.start(now: now), event: "start")
        while step < events, violations.isEmpty {
            step += 1
            if step == shutdownAfter {
                isShutDown = true
                perform(machine.shutdown(), event: "shutdown")
            } else {
                randomEvent()
            }
            checkInvariants()
        }
        drain()
    }

    /// After shutdown: report every outstanding process until the pool holds none.
    func drain() {
        if !isShutDown {
            isShutDown = true
            perform(machine.shutdown(), event: "shutdown")
        }
        while let (worker, phase) = workers.min(by: { $0.key < $1.key }).map({ ($0.key, $0.value) }), violations.isEmpty
        {
            step += 1
            switch phase {
            case .busy: release(worker, reusable: true)
            case .starting, .idle: check(false, "\(worker) is \(phase) after shutdown")
            case .stopping: exited(worker)
            }
            checkInvariants()
        }
        check(machine.snapshot.workers.isEmpty, "workers left after drain: \(machine.snapshot.workers)")
        check(queue.isEmpty, "waiters left after drain: \(queue.map(\.id))")
        check(resolved.count == nextWaiter - 1, "\(nextWaiter - 1) waiters, \(resolved.count) resolved")
    }

    func randomEvent() {
        let roll = Int.random(in: 0..<100, using: &random)
        let starting = workers.filter { $0.value == .starting || $0.value == .stopping(startPending: true) }.keys
            .sorted()
        let busy = workers.filter { if case .busy = $0.value { true } else { false } }.keys.sorted()
        let stopping = workers.filter { if case .stopping = $0.value { true } else { false } }.keys.sorted()
        switch roll {
        case 0..<30:
            acquire()
        case 30..<34:
            if let waiter = queue.randomElement(using: &random)?.id { cancel(waiter) }
        case 34..<48:
            if let worker = starting.randomElement(using: &random) { started(worker) }
        case 48..<53:
            if let worker = starting.randomElement(using: &random) { startFailed(worker) }
        case 53..<75:
            if let worker = busy.randomElement(using: &random) {
                release(worker, reusable: Int.random(in: 0..<10, using: &random) > 0)
            }
        case 75..<78:
            // A crash, in whatever state the process is.
            if let worker = workers.keys.sorted().randomElement(using: &random) { exited(worker) }
        case 78..<86:
            if let worker = stopping.randomElement(using: &random) { exited(worker) }
        case 86..<97:
            advanceTime()
        default:
            staleReport()
        }
    }

    // MARK: Events

    func acquire() {
        let waiter = WaiterID(nextWaiter)
        nextWaiter += 1
        let queuedBefore = queue.count
        queue.append((waiter, now))
        let actions = machine.acquire(waiter, now: now)
        perform(actions, event: "acquire(\(waiter))")
        if case .fail(waiter, .queueFull) = actions.first {
            check(queuedBefore >= maxQueueLength || maxCapacity == 0, "\(waiter) rejected with \(queuedBefore) queued")
        }
    }

    func cancel(_ waiter: WaiterID) {
        event = "cancel(\(waiter))"
        let actions = machine.cancel(waiter)
        check(actions.isEmpty, "cancel returned \(actions)")
        queue.removeAll { $0.id == waiter }
        resolve(waiter, as: "cancelled")
        stats.cancelled += 1
    }

    func started(_ worker: WorkerID) {
        let wasStopped = workers[worker] == .stopping(startPending: true)
        workers[worker] = wasStopped ? .stopping(startPending: false) : .idle
        if !wasStopped { warmRefillMayBeBackingOff = false }
        let actions = machine.workerStarted(worker, now: now)
        perform(actions, event: "workerStarted(\(worker))")
        if wasStopped { check(actions.isEmpty, "a stopped worker's start produced \(actions)") }
    }

    func startFailed(_ worker: WorkerID) {
        let wasStopped = workers[worker] == .stopping(startPending: true)
        workers[worker] = nil
        if !wasStopped {
            warmRefillMayBeBackingOff = true
            stats.failedStarts += 1
        }
        let oldest = queue.first?.id
        let actions = machine.workerStartFailed(worker, reason: "boom", now: now)
        perform(actions, event: "workerStartFailed(\(worker))")
        if !wasStopped, let oldest {
            check(
                actions.first == .fail(oldest, .startFailed("boom")),
                "failed start did not fail \(oldest): \(actions)"
            )
        }
    }

    func release(_ worker: WorkerID, reusable: Bool) {
        workers[worker] = .idle
        let actions = machine.release(worker, reusable: reusable, now: now)
        perform(actions, event: "release(\(worker), reusable: \(reusable))")
        if !reusable || isShutDown {
            check(workers[worker] == .stopping(startPending: false), "released \(worker) was not stopped")
        }
    }

    func exited(_ worker: WorkerID) {
        let phase = workers[worker]
        workers[worker] = nil
        if phase == .starting {
            warmRefillMayBeBackingOff = true
            stats.failedStarts += 1
        }
        perform(
            machine.workerExited(worker, now: now),
            event: "workerExited(\(worker)) from \(String(describing: phase))"
        )
    }

    func advanceTime() {
        if Bool.random(using: &random), let deadline = machine.nextDeadline, deadline > now {
            now = deadline
        } else {
            now += .milliseconds(Int.random(in: 0...4000, using: &random))
        }
        let totalBefore = machine.snapshot.totalWorkers
        let actions = machine.tick(now: now)
        perform(actions, event: "tick")
        let stops = actions.filter { if case .stopWorker = $0 { true } else { false } }.count
        check(
            stops <= max(totalBefore - minCapacity, 0),
            "tick stopped \(stops) of \(totalBefore) with minCapacity \(minCapacity)"
        )
        check(stops == 0 || actions.startedWorkers.isEmpty, "tick stopped and started workers at once: \(actions)")
        check(queue.allSatisfy { $0.at + configuration.acquireTimeout > now }, "a waiter outlived its acquire timeout")
        if let deadline = machine.nextDeadline {
            check(deadline > now, "nextDeadline \(deadline) is not after the tick at \(now)")
        }
        let snapshot = machine.snapshot
        if !isShutDown, snapshot.totalWorkers > minCapacity {
            for case .idle(let since) in snapshot.workers.values {
                check(
                    since + configuration.idleTimeout > now,
                    "an idle worker above minCapacity outlived its idle timeout"
                )
            }
        }
    }

    /// Reports the executor may send late or twice: all must be ignored.
    func staleReport() {
        let before = machine.snapshot
        let unknown = WorkerID(1_000_000 + step)
        let idle = workers.first { $0.value == .idle }?.key
        var actions = machine.workerExited(unknown, now: now) + machine.release(unknown, reusable: true, now: now)
        actions += machine.workerStarted(unknown, now: now) + machine.cancel(WaiterID(-step))
        if let idle {
            actions += machine.release(idle, reusable: true, now: now) + machine.workerStarted(idle, now: now)
            actions += machine.workerStartFailed(idle, reason: "late", now: now)
        }
        event = "stale reports"
        check(actions.isEmpty, "stale reports produced \(actions)")
        check(machine.snapshot == before, "stale reports changed the pool")
    }

    // MARK: Performing actions

    func perform(_ actions: [PoolStateMachine.Action], event: String) {
        self.event = event
        for action in actions {
            switch action {
            case .startWorker(let worker):
                check(!isShutDown, "\(worker) started during shutdown")
                check(!everStarted.contains(worker), "\(worker) started twice")
                everStarted.insert(worker)
                workers[worker] = .starting
            case .assign(let worker, let waiter):
                check(workers[worker] == .idle, "\(worker) assigned while \(String(describing: workers[worker]))")
                check(queue.first?.id == waiter, "\(waiter) served before \(String(describing: queue.first?.id))")
                queue.removeAll { $0.id == waiter }
                resolve(waiter, as: "assigned \(worker)")
                workers[worker] = .busy(waiter)
                stats.assigned += 1
            case .fail(let waiter, let failure):
                check(queue.contains { $0.id == waiter }, "\(waiter) failed while not waiting")
                switch failure {
                case .acquireTimeout:
                    check(
                        queue.first { $0.id == waiter }.map { $0.at + configuration.acquireTimeout <= now } ?? true,
                        "early timeout"
                    )
                case .shuttingDown:
                    check(isShutDown, "\(waiter) failed with shuttingDown while running")
                case .queueFull, .startFailed:
                    break
                }
                queue.removeAll { $0.id == waiter }
                resolve(waiter, as: "failed \(failure)")
                stats.failed += 1
            case .stopWorker(let worker):
                switch workers[worker] {
                case .idle: workers[worker] = .stopping(startPending: false)
                case .starting:
                    check(isShutDown, "starting \(worker) stopped while running")
                    workers[worker] = .stopping(startPending: true)
                default: check(false, "\(worker) stopped while \(String(describing: workers[worker]))")
                }
            }
        }
    }

    func resolve(_ waiter: WaiterID, as outcome: String) {
        if let earlier = resolved[waiter] {
            check(false, "\(waiter) resolved twice: \(earlier), then \(outcome)")
        }
        resolved[waiter] = outcome
    }

    // MARK: Invariants

    func checkInvariants() {
        let snapshot = machine.snapshot
        var starting = 0
        var idle = 0
        var busy = 0
        for (worker, phase) in workers {
            let state = snapshot.workers[worker]
            switch (phase, state) {
            case (.starting, .starting?): starting += 1
            case (.idle, .idle?): idle += 1
            case (.busy, .busy?): busy += 1
            case (.stopping, .stopping?): break
            default: check(false, "\(worker): executor sees \(phase), pool \(String(describing: state))")
            }
        }
        check(
            snapshot.workers.count == workers.count,
            "pool knows \(snapshot.workers.count) workers, executor \(workers.count)"
        )
        check(
            snapshot.provisioning == starting && snapshot.idle == idle && snapshot.busy == busy,
            "snapshot counts \(snapshot)"
        )
        check(snapshot.totalWorkers == starting + idle + busy, "totalWorkers \(snapshot.totalWorkers)")
        check(snapshot.queueLength == queue.count, "queue \(snapshot.queueLength) vs \(queue.count)")

        check(snapshot.totalWorkers <= maxCapacity, "capacity exceeded: \(snapshot.totalWorkers) > \(maxCapacity)")
        check(starting <= maxConcurrentStarts, "\(starting) starting at once")
        check(queue.count <= maxQueueLength, "queue of \(queue.count)")
        check(!(idle > 0 && !queue.isEmpty), "\(idle) idle workers while \(queue.count) wait")
        if !isShutDown {
            // Liveness: a waiter always has a start coming or every slot is busy.
            check(queue.isEmpty || starting > 0 || busy == maxCapacity, "waiters stranded: \(snapshot)")
            check(
                snapshot.totalWorkers >= minCapacity || starting == maxConcurrentStarts || warmRefillMayBeBackingOff,
                "minCapacity \(minCapacity) not kept: \(snapshot)"
            )
        } else {
            check(queue.isEmpty, "waiters during shutdown")
            check(machine.nextDeadline == nil, "deadline during shutdown")
        }
    }
}
