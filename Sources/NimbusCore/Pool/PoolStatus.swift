import Foundation

/// A pool's state for metrics and status pages.
public struct PoolStatus: Sendable {
    public var function: FunctionName
    public var configuration: PoolConfiguration
    public var snapshot: PoolSnapshot
    public var breaker: CircuitBreaker.State
    public var workers: [WorkerStatus]

    public init(function: FunctionName, configuration: PoolConfiguration, snapshot: PoolSnapshot, breaker: CircuitBreaker.State, workers: [WorkerStatus]) {
        self.function = function
        self.configuration = configuration
        self.snapshot = snapshot
        self.breaker = breaker
        self.workers = workers
    }
}

/// One worker's state for `/metrics/containers`.
public struct WorkerStatus: Sendable {
    public var id: WorkerID
    public var pid: Int32?
    public var state: WorkerState?
    public var memoryLimitBytes: Int
    public var memoryCurrentBytes: Int?
    public var cpuUsageNanoseconds: Int?
    public var startedAt: Date
    public var invocationsServed: Int

    public init(
        id: WorkerID, pid: Int32?, state: WorkerState?, memoryLimitBytes: Int, memoryCurrentBytes: Int?,
        cpuUsageNanoseconds: Int?, startedAt: Date, invocationsServed: Int
    ) {
        self.id = id
        self.pid = pid
        self.state = state
        self.memoryLimitBytes = memoryLimitBytes
        self.memoryCurrentBytes = memoryCurrentBytes
        self.cpuUsageNanoseconds = cpuUsageNanoseconds
        self.startedAt = startedAt
        self.invocationsServed = invocationsServed
    }
}

/// Reports every pool's state; implemented by the worker pools, read by the metrics routes.
public protocol PoolStatusProvider: Sendable {
    func statuses() async -> [PoolStatus]
}
