import Foundation
import Logging
import Metrics
import NimbusCore

/// Runs one function's workers: executes the actions of its `PoolStateMachine` and guards
/// it with a `CircuitBreaker`. Different functions have different pools, so one slow or
/// saturated function never blocks another.
actor WorkerPool {
    let function: FunctionConfiguration
    let configuration: PoolConfiguration
    private var machine: PoolStateMachine
    private var breaker: CircuitBreaker
    private var workers: [WorkerID: Worker] = [:]
    private var waiters: [WaiterID: CheckedContinuation<Acquisition, Never>] = [:]
    private var initFailures: [String: any Error] = [:]
    private var nextWaiter = 0
    private let environment: PoolEnvironment
    private let clock = ContinuousClock()
    private let metrics: PoolMetrics
    private var publishedGauges = PoolMetrics.GaugeValues()

    private enum Acquisition {
        case worker(Worker)
        case failed(PoolFailure)
    }

    /// What a pool needs from the stack around it.
    struct PoolEnvironment: Sendable {
        var launcher: RuntimeLauncher
        var supervisor: WorkerSupervisor
        var sink: any LogSink
        var logger: Logger
        var initTimeout: Duration
        var functionARN: String
        var allocateWorkerID: @Sendable () -> WorkerID
        /// Where the pool's counters, timers and gauges go (see ``PoolMetrics``).
        var metricsFactory: any MetricsFactory
    }

    init(function: FunctionConfiguration, configuration: PoolConfiguration, breaker: CircuitBreakerConfiguration, environment: PoolEnvironment) {
        self.function = function
        self.configuration = configuration
        self.machine = PoolStateMachine(configuration: configuration, idAllocator: environment.allocateWorkerID)
        self.breaker = CircuitBreaker(configuration: breaker)
        self.environment = environment
        self.metrics = PoolMetrics(function: function.name, factory: environment.metricsFactory)
    }

    func start() {
        perform(machine.start(now: clock.now))
    }

    /// Runs one invocation on a worker of this pool.
    func invoke(_ request: InvocationRequest) async throws(DispatchError) -> InvocationResult {
        let decision = breaker.decide(now: clock.now)
        if decision != .allow { publishGauges() }
        if case .reject(let retryAfter) = decision {
            metrics.count(.circuitOpen)
            throw DispatchError(.circuitOpen, "Circuit breaker is open for function \(function.name); retry after \(retryAfter)")
        }
        let worker: Worker
        let waitStarted = clock.now
        let acquisition = await acquire()
        metrics.queueWait.record(duration: clock.now - waitStarted)
        switch acquisition {
        case .worker(let acquired): worker = acquired
        case .failed(let failure):
            switch failure {
            case .startFailed(let key):
                breaker.recordFailure(now: clock.now)
                publishGauges()
                metrics.count(.initError)
                let error = initFailures.removeValue(forKey: key) ?? RuntimeInitFailure.exited(key)
                return Worker.initErrorResult(error, requestID: request.requestID, timeout: environment.initTimeout)
            case .acquireTimeout, .queueFull:
                metrics.count(.throttled)
                throw DispatchError(.throttled, "Rate Exceeded.")
            case .shuttingDown:
                metrics.count(.shuttingDown)
                throw DispatchError(.shuttingDown, "Nimbus is shutting down")
            }
        }
        let invocationStarted = clock.now
        let (result, reusable) = await worker.invoke(request)
        metrics.invocationDuration.record(duration: clock.now - invocationStarted)
        metrics.count(result.outcome == .success ? .success : .functionError)
        if reusable { breaker.recordSuccess(now: clock.now) } else { breaker.recordFailure(now: clock.now) }
        perform(machine.release(worker.id, reusable: reusable, now: clock.now))
        return result
    }

    /// Periodic housekeeping: invocation timeouts, acquire timeouts and scale-down of idle workers.
    func tick() {
        let now = clock.now
        for worker in workers.values { worker.enforceTimeout(now: now) }
        perform(machine.tick(now: now))
    }

    func shutdown() {
        perform(machine.shutdown())
    }

    func stopAll() {
        for worker in workers.values { worker.stop() }
    }

    var status: PoolStatus {
        let snapshot = machine.snapshot
        return PoolStatus(
            function: function.name,
            configuration: configuration,
            snapshot: snapshot,
            breaker: breaker.state,
            workers: workers.values.sorted { $0.id < $1.id }.map { worker in
                WorkerStatus(
                    id: worker.id, pid: worker.pid, state: snapshot.workers[worker.id],
                    memoryLimitBytes: function.memorySize * 1024 * 1024,
                    memoryCurrentBytes: worker.memoryCurrentBytes,
                    cpuUsageNanoseconds: worker.cpuUsageNanoseconds,
                    startedAt: worker.startedAt, invocationsServed: worker.invocationsServed)
            })
    }

    var isEmpty: Bool { workers.isEmpty }

    // MARK: Worker lifecycle reports

    private func workerReady(_ id: WorkerID) {
        perform(machine.workerStarted(id, now: clock.now))
    }

    private func workerStartFailed(_ id: WorkerID, error: any Error) {
        initFailures[id.description] = error
        perform(machine.workerStartFailed(id, reason: id.description, now: clock.now))
        // Nobody was waiting for this start: nothing will read the error.
        if initFailures.count > 64 { initFailures.removeAll() }
    }

    private func workerExited(_ id: WorkerID, exit: WorkerProcess.Exit) {
        workers[id] = nil
        environment.logger.debug("worker exited", metadata: ["function.name": "\(function.name)", "worker.id": "\(id)", "exit": "\(exit.description)"])
        perform(machine.workerExited(id, now: clock.now))
    }

    // MARK: Executing actions

    private func acquire() async -> Acquisition {
        nextWaiter += 1
        let waiter = WaiterID(nextWaiter)
        return await withCheckedContinuation { continuation in
            waiters[waiter] = continuation
            perform(machine.acquire(waiter, now: clock.now))
        }
    }

    private func perform(_ actions: [PoolStateMachine.Action]) {
        for action in actions {
            switch action {
            case .startWorker(let id):
                launch(id)
            case .assign(let id, let waiter):
                guard let worker = workers[id] else { continue }
                waiters.removeValue(forKey: waiter)?.resume(returning: .worker(worker))
            case .fail(let waiter, let failure):
                waiters.removeValue(forKey: waiter)?.resume(returning: .failed(failure))
            case .stopWorker(let id):
                workers[id]?.stop()
            }
        }
        publishGauges()
    }

    /// Brings the worker, queue and breaker gauges up to date; records only what changed.
    private func publishGauges() {
        let snapshot = machine.snapshot
        let breakerOpen: Bool = if case .closed = breaker.state { false } else { true }
        let values = PoolMetrics.GaugeValues(
            idle: snapshot.idle, busy: snapshot.busy, provisioning: snapshot.provisioning,
            queued: snapshot.queueLength, breakerOpen: breakerOpen)
        guard values != publishedGauges else { return }
        metrics.publish(values, previous: publishedGauges)
        publishedGauges = values
    }

    private func launch(_ id: WorkerID) {
        let worker = Worker(id: id, function: function, functionARN: environment.functionARN, sink: environment.sink)
        workers[id] = worker
        let environment = self.environment
        let metrics = self.metrics
        let launchedAt = clock.now
        environment.supervisor.spawn { [self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await worker.waitUntilReady(timeout: environment.initTimeout)
                        let elapsed = ContinuousClock.now - launchedAt
                        metrics.coldStarts.increment()
                        metrics.coldStartDuration.record(duration: elapsed)
                        environment.logger.debug("worker ready", metadata: ["worker.id": "\(id)", "elapsed": "\(elapsed)"])
                        await self.workerReady(id)
                    } catch {
                        metrics.workerStartFailures.increment()
                        await self.workerStartFailed(id, error: error)
                        worker.stop()
                    }
                }
                let exit = await worker.run(launcher: environment.launcher, logger: environment.logger)
                await group.waitForAll()
                await self.workerExited(id, exit: exit)
            }
        }
    }
}
