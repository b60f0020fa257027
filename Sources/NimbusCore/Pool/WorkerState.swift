/// Where one worker is in its life, as a pool sees it.
public enum WorkerState: Sendable, Hashable {
    /// Spawned, not yet ready for its first invocation.
    case starting
    /// Ready and unused since the given instant (its last release, or when it became ready).
    case idle(since: ContinuousClock.Instant)
    /// Running an invocation handed out at the given instant.
    case busy(since: ContinuousClock.Instant)
    /// Told to stop; it is forgotten once the executor reports that it exited.
    case stopping
}
