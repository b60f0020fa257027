/// A function's circuit breaker as a pure state machine: after `failureThreshold` consecutive
/// failures callers fail fast for `recoveryWindow`, then one trial decides whether it closes.
///
/// It counts only what it is told: the executor decides what a failure is (a crash or a worker
/// that cannot start, not a handled function error).
public struct CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        /// One trial invocation is outstanding.
        case halfOpen
    }

    public enum Decision: Sendable, Equatable {
        case allow
        /// Let this one through as the trial; report its outcome.
        case allowTrial
        case reject(retryAfter: Duration)
    }

    public let configuration: CircuitBreakerConfiguration
    public private(set) var state: State = .closed(consecutiveFailures: 0)
    /// When the outstanding trial was let through. A trial whose outcome is never reported
    /// (a lost caller) must not keep the circuit half-open forever: after another recovery
    /// window a new trial is allowed.
    private var trialStartedAt: ContinuousClock.Instant?

    public init(configuration: CircuitBreakerConfiguration) {
        self.configuration = configuration
    }

    private var failureThreshold: Int { max(configuration.failureThreshold, 1) }

    /// Whether an invocation may run now. Closed: allow. Open: reject until the window ends, then
    /// let one trial through (half-open). Half-open: reject while the trial is outstanding, with
    /// `retryAfter` counting to when an unreported trial is given up.
    public mutating func decide(now: ContinuousClock.Instant) -> Decision {
        switch state {
        case .closed:
            return .allow
        case .open(let until) where now < until:
            return .reject(retryAfter: until - now)
        case .open:
            return beginTrial(now: now)
        case .halfOpen:
            let trialExpiry = (trialStartedAt ?? now) + configuration.recoveryWindow
            guard now < trialExpiry else { return beginTrial(now: now) }
            return .reject(retryAfter: trialExpiry - now)
        }
    }

    /// An invocation succeeded: the circuit closes and the failure count restarts.
    public mutating func recordSuccess(now: ContinuousClock.Instant) {
        state = .closed(consecutiveFailures: 0)
        trialStartedAt = nil
    }

    /// An invocation failed: counted while closed, opening at the threshold; a failed trial
    /// re-opens for a full window. A late failure while open does not extend the window.
    public mutating func recordFailure(now: ContinuousClock.Instant) {
        switch state {
        case .closed(let failures) where failures + 1 < failureThreshold:
            state = .closed(consecutiveFailures: failures + 1)
        case .closed, .halfOpen:
            state = .open(until: now + configuration.recoveryWindow)
            trialStartedAt = nil
        case .open:
            break
        }
    }

    private mutating func beginTrial(now: ContinuousClock.Instant) -> Decision {
        state = .halfOpen
        trialStartedAt = now
        return .allowTrial
    }
}
