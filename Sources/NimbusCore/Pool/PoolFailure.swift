/// Why a pool could not hand a worker to a waiter.
public enum PoolFailure: Sendable, Equatable {
    /// No worker became free within ``PoolConfiguration/acquireTimeout``.
    case acquireTimeout
    /// The queue already held ``PoolConfiguration/maxQueueLength`` waiters, or the pool has no capacity.
    case queueFull
    /// The pool is shutting down.
    case shuttingDown
    /// The worker started for this waiter failed to start; the reason is the executor's.
    case startFailed(String)
}
