/// When a function's circuit breaker opens and how long it stays open.
public struct CircuitBreakerConfiguration: Sendable, Hashable {
    /// Consecutive failures that open the circuit (values below 1 act as 1).
    public var failureThreshold: Int = 3
    /// How long the circuit stays open before one trial invocation is let through.
    public var recoveryWindow: Duration = .seconds(10)

    public init(failureThreshold: Int = 3, recoveryWindow: Duration = .seconds(10)) {
        self.failureThreshold = failureThreshold
        self.recoveryWindow = recoveryWindow
    }
}
