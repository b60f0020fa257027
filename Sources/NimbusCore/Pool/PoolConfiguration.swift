/// How one function's worker pool sizes itself.
///
/// Values are taken as given; ``PoolStateMachine`` makes inconsistent ones safe
/// (`minCapacity` above `maxCapacity`, fewer than one concurrent start, negative lengths).
public struct PoolConfiguration: Sendable, Hashable {
    /// The most workers (starting, idle or busy) at once: `ReservedConcurrentExecutions`, else 10.
    /// Zero means the function is throttled: every acquire fails with ``PoolFailure/queueFull``.
    public var maxCapacity: Int
    /// Workers kept warm: `ProvisionedConcurrency`. Refilled after crashes; never idled out.
    public var minCapacity: Int
    /// How long a request may queue for a worker before it fails with ``PoolFailure/acquireTimeout``.
    public var acquireTimeout: Duration
    /// How long a worker above `minCapacity` may stay idle before it is stopped (scale to zero).
    public var idleTimeout: Duration
    /// How many workers may be starting at once, so a burst does not fork a herd of runtimes.
    public var maxConcurrentStarts: Int
    /// How many requests may queue; the next one fails at once with ``PoolFailure/queueFull``.
    /// Waiting for a cold start is queueing too: with 0 only an idle worker can serve.
    public var maxQueueLength: Int

    public init(
        maxCapacity: Int = 10,
        minCapacity: Int = 0,
        acquireTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(300),
        maxConcurrentStarts: Int = 2,
        maxQueueLength: Int = 1000
    ) {
        self.maxCapacity = maxCapacity
        self.minCapacity = minCapacity
        self.acquireTimeout = acquireTimeout
        self.idleTimeout = idleTimeout
        self.maxConcurrentStarts = maxConcurrentStarts
        self.maxQueueLength = maxQueueLength
    }
}
