/// A pool's state at one moment, for metrics (`/metrics/pools`) and status.
public struct PoolSnapshot: Sendable, Equatable {
    public typealias WorkerState = NimbusCore.WorkerState

    /// `idle + busy + provisioning`: what counts against ``PoolConfiguration/maxCapacity``.
    /// Stopping workers no longer count: they serve nothing and are on their way out.
    public var totalWorkers: Int
    public var idle: Int
    public var busy: Int
    /// Workers starting.
    public var provisioning: Int
    /// Waiters queued for a worker.
    public var queueLength: Int
    /// Every worker the pool knows, stopping ones included.
    public var workers: [WorkerID: WorkerState]

    public init(
        totalWorkers: Int,
        idle: Int,
        busy: Int,
        provisioning: Int,
        queueLength: Int,
        workers: [WorkerID: WorkerState]
    ) {
        self.totalWorkers = totalWorkers
        self.idle = idle
        self.busy = busy
        self.provisioning = provisioning
        self.queueLength = queueLength
        self.workers = workers
    }
}
