import Foundation
import Logging
import Metrics
import NimbusCore
import ServiceLifecycle
import Synchronization

/// Every function's pool, as one service: the `InvocationDispatcher` the gateway, the Invoke
/// API and the scheduler use. On graceful shutdown it drains in-flight invocations (bounded),
/// then stops every worker process group.
public final class WorkerPools: Service, InvocationDispatcher, PoolStatusProvider {
    private let functions: [FunctionName: FunctionConfiguration]
    private let pools: [FunctionName: WorkerPool]
    private let supervisor = WorkerSupervisor()
    private let configuration: WorkersConfiguration
    private let logger: Logger
    private let accepting = Atomic<Bool>(true)
    private let launcher: RuntimeLauncher

    /// - Parameters:
    ///   - bootstrapDirectory: where runtime bootstraps live; defaults to this module's resources.
    ///   - metricsFactory: where the pools' metrics go (`nimbus_invocations_total` and the rest);
    ///     defaults to the global `MetricsSystem` backend. Stacks sharing a process pass their own
    ///     to keep their series apart.
    public init(
        functions: [FunctionConfiguration], configuration: WorkersConfiguration, sink: any LogSink, logger: Logger,
        bootstrapDirectory: String? = nil, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        var launcher = RuntimeLauncher(configuration: configuration, bootstrapDirectory: bootstrapDirectory ?? Self.bundledBootstrapDirectory)
        if configuration.zygote {
            // Zygote tasks run under the supervisor, like workers, and end with it.
            let supervisor = self.supervisor
            launcher.zygotes = Zygotes(logger: logger, host: { job in supervisor.spawn(job) })
        }
        let ids = Atomic<Int>(0)
        let allocate: @Sendable () -> WorkerID = { WorkerID(ids.add(1, ordering: .relaxed).newValue) }
        var pools: [FunctionName: WorkerPool] = [:]
        for function in functions {
            let environment = WorkerPool.PoolEnvironment(
                launcher: launcher, supervisor: supervisor, sink: sink, logger: logger,
                initTimeout: configuration.initTimeout, functionARN: configuration.functionARN(function.name),
                allocateWorkerID: allocate, metricsFactory: metricsFactory)
            pools[function.name] = WorkerPool(
                function: function, configuration: configuration.poolConfiguration(for: function),
                breaker: configuration.breaker, environment: environment)
        }
        self.pools = pools
        self.launcher = launcher
        self.functions = Dictionary(uniqueKeysWithValues: functions.map { ($0.name, $0) })
        self.configuration = configuration
        self.logger = logger
    }

    /// The bootstraps shipped as resources of this module.
    public static var bundledBootstrapDirectory: String {
        Bundle.module.resourceURL!.appendingPathComponent("Bootstrap").path
    }

    public func run() async throws {
        for pool in pools.values { await pool.start() }
        // Zygotes of functions that already start workers (provisioned concurrency) come up now;
        // the others on their first cold start.
        for function in functions.values where (function.provisionedConcurrency ?? 0) > 0 && launcher.forksWorkers(of: function) {
            launcher.zygotes?.prepare(function, launcher: launcher)
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.supervisor.run() }
            group.addTask {
                // Housekeeping: invocation and acquire timeouts, idle scale-down. A fixed cadence
                // keeps this simple; 100 ms is well below every timeout it enforces (Lambda's
                // shortest function timeout is 1 s).
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(100))
                        for pool in self.pools.values { await pool.tick() }
                    }
                }
                await self.drain()
                self.supervisor.finish()
            }
        }
    }

    public func function(named name: FunctionName) -> FunctionConfiguration? {
        functions[name]
    }

    public func invoke(_ request: InvocationRequest) async throws(DispatchError) -> InvocationResult {
        guard let pool = pools[request.function] else {
            throw DispatchError(.functionNotFound, "Function not found: \(configuration.functionARN(request.function))")
        }
        guard accepting.load(ordering: .relaxed) else { throw DispatchError(.shuttingDown, "Nimbus is shutting down") }
        return try await pool.invoke(request)
    }

    public func enqueue(_ request: InvocationRequest) throws(DispatchError) {
        guard let function = functions[request.function] else {
            throw DispatchError(.functionNotFound, "Function not found: \(configuration.functionARN(request.function))")
        }
        guard accepting.load(ordering: .relaxed) else { throw DispatchError(.shuttingDown, "Nimbus is shutting down") }
        let accepted = ContinuousClock.now
        let retries = AsyncInvocationRetry(
            policy: configuration.asyncRetryPolicy(for: function), logger: logger,
            attempt: { request throws(DispatchError) in try await self.invoke(request) },
            isShuttingDown: { !self.accepting.load(ordering: .relaxed) || Task.isShuttingDownGracefully })
        supervisor.spawn { await retries.run(request, acceptedAt: accepted) }
    }

    /// Every pool's state, ordered by function name.
    public func statuses() async -> [PoolStatus] {
        var result: [PoolStatus] = []
        for name in pools.keys.sorted() { result.append(await pools[name]!.status) }
        return result
    }

    /// Refuses new work, lets in-flight invocations finish (up to `drainTimeout`), then kills
    /// every worker that is left.
    private func drain() async {
        accepting.store(false, ordering: .relaxed)
        for pool in pools.values { await pool.shutdown() }
        let deadline = ContinuousClock.now.advanced(by: configuration.drainTimeout)
        // A cancelled (not gracefully stopped) stack skips the wait: sleeping would fail at once.
        while ContinuousClock.now < deadline, !Task.isCancelled {
            var empty = true
            for pool in pools.values where await !pool.isEmpty { empty = false }
            if empty { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        for pool in pools.values { await pool.stopAll() }
        launcher.zygotes?.stopAll()
    }
}
