import NimbusCore
import Testing

/// Every branch of the async retry policy, with AWS's waits unless a test says otherwise.
@Suite struct AsyncRetryPolicyTests {
    static func policy(retries: Int = 2, maximumAge: Int = 21_600) -> AsyncRetryPolicy {
        AsyncRetryPolicy(
            eventInvoke: EventInvokeConfiguration(maximumRetryAttempts: retries, maximumEventAgeInSeconds: maximumAge),
            retryDelays: [.seconds(60), .seconds(120)], throttleBackoffBase: .seconds(1), throttleBackoffCap: .seconds(300))
    }

    static let failed = AsyncRetryPolicy.Outcome.functionError(type: "ValueError")
    static let throttled = AsyncRetryPolicy.Outcome.notRun(.throttled)

    @Test("Success on the first attempt or after retries ends the event", arguments: [0, 1, 2])
    func successFinishes(failuresBefore: Int) {
        var policy = Self.policy()
        for _ in 0..<failuresBefore { _ = policy.decide(after: Self.failed, eventAge: .zero, shuttingDown: false) }
        #expect(policy.decide(after: .success, eventAge: .seconds(200), shuttingDown: false) == .finished)
    }

    @Test("A function error is retried MaximumRetryAttempts times, after 1 then 2 minutes, then given up")
    func functionErrorsRetriedThenGivenUp() {
        var policy = Self.policy(retries: 2)
        #expect(policy.decide(after: Self.failed, eventAge: .seconds(1), shuttingDown: false) == .retry(after: .seconds(60)))
        #expect(policy.decide(after: Self.failed, eventAge: .seconds(62), shuttingDown: false) == .retry(after: .seconds(120)))
        #expect(policy.decide(after: Self.failed, eventAge: .seconds(183), shuttingDown: false) == .discard(.retriesExhausted))
        #expect(policy.functionErrors == 3)
    }

    @Test("Every kind of function error counts: raised, timed out, crashed, init failure", arguments: [
        "ValueError", "Sandbox.Timedout", "Runtime.ExitError", "Runtime.ImportModuleError",
    ])
    func everyFunctionErrorIsRetried(type: String) {
        var policy = Self.policy(retries: 1)
        #expect(policy.decide(after: .functionError(type: type), eventAge: .zero, shuttingDown: false) == .retry(after: .seconds(60)))
        #expect(policy.decide(after: .functionError(type: type), eventAge: .zero, shuttingDown: false) == .discard(.retriesExhausted))
    }

    @Test("MaximumRetryAttempts 0: the first function error discards the event")
    func zeroRetries() {
        var policy = Self.policy(retries: 0)
        #expect(policy.decide(after: Self.failed, eventAge: .zero, shuttingDown: false) == .discard(.retriesExhausted))
    }

    @Test("More retries than delays repeat the last delay; no delays means no wait")
    func delayList() {
        var policy = AsyncRetryPolicy(
            eventInvoke: EventInvokeConfiguration(maximumRetryAttempts: 2), retryDelays: [.seconds(5)],
            throttleBackoffBase: .seconds(1), throttleBackoffCap: .seconds(300))
        #expect(policy.decide(after: Self.failed, eventAge: .zero, shuttingDown: false) == .retry(after: .seconds(5)))
        #expect(policy.decide(after: Self.failed, eventAge: .zero, shuttingDown: false) == .retry(after: .seconds(5)))
        var immediate = AsyncRetryPolicy(
            eventInvoke: EventInvokeConfiguration(), retryDelays: [], throttleBackoffBase: .zero, throttleBackoffCap: .zero)
        #expect(immediate.decide(after: Self.failed, eventAge: .zero, shuttingDown: false) == .retry(after: .zero))
        #expect(immediate.decide(after: Self.throttled, eventAge: .zero, shuttingDown: false) == .retry(after: .zero))
    }

    @Test("Throttles back off exponentially from 1 s up to 5 minutes and never use up retry attempts")
    func throttleBackoff() {
        var policy = Self.policy(retries: 0)
        let waits = (0..<12).map { _ in policy.decide(after: Self.throttled, eventAge: .seconds(10), shuttingDown: false) }
        let seconds: [Int64] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
        #expect(waits == seconds.map { .retry(after: .seconds($0)) })
        #expect(policy.throttles == 12)
        #expect(policy.functionErrors == 0)
    }

    @Test("The platform's other failures back off like throttles", arguments: [
        DispatchError.Code.throttled, .circuitOpen, .workerUnavailable,
    ])
    func serviceErrorsBackOff(code: DispatchError.Code) {
        var policy = Self.policy()
        #expect(policy.decide(after: .notRun(code), eventAge: .zero, shuttingDown: false) == .retry(after: .seconds(1)))
        #expect(policy.decide(after: .notRun(code), eventAge: .zero, shuttingDown: false) == .retry(after: .seconds(2)))
    }

    @Test("Throttles are retried until the event would be older than MaximumEventAgeInSeconds")
    func throttledUntilMaximumAge() {
        var policy = Self.policy(maximumAge: 60)
        #expect(policy.decide(after: Self.throttled, eventAge: .seconds(58), shuttingDown: false) == .retry(after: .seconds(1)))
        #expect(policy.decide(after: Self.throttled, eventAge: .seconds(58), shuttingDown: false) == .retry(after: .seconds(2)))
        #expect(policy.decide(after: Self.throttled, eventAge: .seconds(58), shuttingDown: false) == .discard(.eventTooOld))
    }

    @Test("A function error retry that would run past the maximum age discards the event", arguments: [
        (Duration.seconds(0), AsyncRetryPolicy.Decision.retry(after: .seconds(60))),
        (.seconds(40), .retry(after: .seconds(60))),
        (.seconds(41), .discard(.eventTooOld)),
        (.seconds(200), .discard(.eventTooOld)),
    ])
    func functionErrorPastMaximumAge(age: Duration, expected: AsyncRetryPolicy.Decision) {
        var policy = Self.policy(maximumAge: 100)
        #expect(policy.decide(after: Self.failed, eventAge: age, shuttingDown: false) == expected)
    }

    @Test("At shutdown no retry is scheduled; a finished event still finishes", arguments: [failed, throttled])
    func shutdown(outcome: AsyncRetryPolicy.Outcome) {
        var policy = Self.policy()
        #expect(policy.decide(after: outcome, eventAge: .zero, shuttingDown: true) == .discard(.shuttingDown))
        #expect(policy.decide(after: .success, eventAge: .zero, shuttingDown: true) == .finished)
    }

    @Test("Refused because the stack is stopping, or the function is gone: discarded at once")
    func notRetryable() {
        var policy = Self.policy()
        #expect(policy.decide(after: .notRun(.shuttingDown), eventAge: .zero, shuttingDown: false) == .discard(.shuttingDown))
        #expect(policy.decide(after: .notRun(.functionNotFound), eventAge: .zero, shuttingDown: false) == .discard(.functionNotFound))
    }

    @Test("Retries exhausted takes precedence over shutdown and age: the event was given every attempt")
    func exhaustedFirst() {
        var policy = Self.policy(retries: 0, maximumAge: 60)
        #expect(policy.decide(after: Self.failed, eventAge: .seconds(600), shuttingDown: true) == .discard(.retriesExhausted))
    }

    @Test func eventInvokeDefaultsAreAWSs() {
        let defaults = EventInvokeConfiguration()
        #expect(defaults.maximumRetryAttempts == 2)
        #expect(defaults.maximumEventAgeInSeconds == 21_600)
        #expect(EventInvokeConfiguration.retryAttemptsRange == 0...2)
        #expect(EventInvokeConfiguration.eventAgeRange == 60...21_600)
    }
}
