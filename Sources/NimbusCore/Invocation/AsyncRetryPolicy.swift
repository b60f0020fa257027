/// What happens to an asynchronous (`InvocationType: Event`) invocation after each attempt, the
/// way AWS Lambda documents it:
/// - a function error (raised, timed out, crashed, failed to initialise) is retried up to
///   `MaximumRetryAttempts` times, after the configured waits (AWS: about 1 then 2 minutes);
/// - a throttle or service error is retried with exponential backoff for as long as the event is
///   younger than `MaximumEventAgeInSeconds`, without using up retry attempts;
/// - an event that would be older than its maximum age at the next attempt is discarded.
///
/// It remembers how many attempts failed in which way; time is passed in as the event's age.
public struct AsyncRetryPolicy: Sendable, Equatable {
    /// How one attempt ended.
    public enum Outcome: Sendable, Equatable {
        case success
        /// The function ran and failed; `type` is its `errorType`.
        case functionError(type: String)
        /// The platform did not run the function.
        case notRun(DispatchError.Code)
    }

    public enum Decision: Sendable, Equatable {
        /// The event succeeded: nothing more to do.
        case finished
        /// Attempt again after this wait.
        case retry(after: Duration)
        /// Give the event up.
        case discard(DiscardReason)
    }

    public enum DiscardReason: String, Sendable, Equatable, CustomStringConvertible {
        /// The function failed on its first attempt and on every retry allowed.
        case retriesExhausted = "retries exhausted"
        /// The next attempt would come after `MaximumEventAgeInSeconds`.
        case eventTooOld = "event older than its maximum age"
        /// The stack is shutting down; pending retries are not kept.
        case shuttingDown = "shutting down"
        /// The function no longer exists: no attempt can succeed.
        case functionNotFound = "function not found"

        public var description: String { rawValue }
    }

    public let maximumRetryAttempts: Int
    public let maximumEventAge: Duration
    /// The wait before the n-th retry after a function error; the last entry repeats.
    public let retryDelays: [Duration]
    /// The first wait after a throttle; each further throttle doubles it, up to `throttleBackoffCap`.
    public let throttleBackoffBase: Duration
    public let throttleBackoffCap: Duration

    /// Function errors so far (the first failed attempt included).
    public private(set) var functionErrors = 0
    /// Attempts the platform did not run so far.
    public private(set) var throttles = 0

    public init(
        eventInvoke: EventInvokeConfiguration, retryDelays: [Duration], throttleBackoffBase: Duration,
        throttleBackoffCap: Duration
    ) {
        self.maximumRetryAttempts = eventInvoke.maximumRetryAttempts
        self.maximumEventAge = .seconds(eventInvoke.maximumEventAgeInSeconds)
        self.retryDelays = retryDelays
        self.throttleBackoffBase = throttleBackoffBase
        self.throttleBackoffCap = throttleBackoffCap
    }

    /// Records how an attempt ended and decides what comes next.
    /// - Parameters:
    ///   - eventAge: time since the event was accepted, now.
    ///   - shuttingDown: whether the stack is stopping (a retry would never run).
    public mutating func decide(after outcome: Outcome, eventAge: Duration, shuttingDown: Bool) -> Decision {
        let delay: Duration
        switch outcome {
        case .success:
            return .finished
        case .functionError:
            functionErrors += 1
            guard functionErrors <= maximumRetryAttempts else { return .discard(.retriesExhausted) }
            delay = retryDelays.isEmpty ? .zero : retryDelays[min(functionErrors, retryDelays.count) - 1]
        case .notRun(.shuttingDown):
            return .discard(.shuttingDown)
        case .notRun(.functionNotFound):
            return .discard(.functionNotFound)
        case .notRun(.throttled), .notRun(.circuitOpen), .notRun(.workerUnavailable):
            throttles += 1
            delay = throttleBackoff(after: throttles)
        }
        if shuttingDown { return .discard(.shuttingDown) }
        guard eventAge + delay <= maximumEventAge else { return .discard(.eventTooOld) }
        return .retry(after: delay)
    }

    /// `base × 2^(n-1)`, capped.
    private func throttleBackoff(after throttles: Int) -> Duration {
        var delay = throttleBackoffBase
        for _ in 1..<max(throttles, 1) where delay < throttleBackoffCap { delay *= 2 }
        return min(delay, throttleBackoffCap)
    }
}
