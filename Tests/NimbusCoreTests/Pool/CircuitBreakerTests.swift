import NimbusCore
import Testing

/// The one clock reading of these tests: every instant is an offset from it, so nothing sleeps.
private let t0 = ContinuousClock.now

@Suite struct CircuitBreakerTests {
    /// A breaker opened by `threshold` failures at `t0`.
    static func opened(threshold: Int = 3, window: Duration = .seconds(10)) -> CircuitBreaker {
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: threshold, recoveryWindow: window))
        for _ in 0..<threshold { breaker.recordFailure(now: t0) }
        return breaker
    }

    @Test func configurationDefaults() {
        let configuration = CircuitBreakerConfiguration()
        #expect(configuration.failureThreshold == 3)
        #expect(configuration.recoveryWindow == .seconds(10))
    }

    @Test func startsClosedAndAllows() {
        var breaker = CircuitBreaker(configuration: .init())
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.decide(now: t0) == .allow)
    }

    @Test(arguments: [1, 2, 3, 5])
    func opensAtTheThresholdOfConsecutiveFailures(threshold: Int) {
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: threshold, recoveryWindow: .seconds(10)))
        for failures in 1..<threshold {
            breaker.recordFailure(now: t0)
            #expect(breaker.state == .closed(consecutiveFailures: failures))
            #expect(breaker.decide(now: t0) == .allow)
        }
        breaker.recordFailure(now: t0 + .seconds(1))
        #expect(breaker.state == .open(until: t0 + .seconds(11)))
    }

    @Test(arguments: [0, -1])
    func thresholdBelowOneActsAsOne(threshold: Int) {
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: threshold))
        breaker.recordFailure(now: t0)
        #expect(breaker.state == .open(until: t0 + .seconds(10)))
    }

    @Test func successResetsTheCount() {
        var breaker = CircuitBreaker(configuration: .init())
        breaker.recordFailure(now: t0)
        breaker.recordFailure(now: t0)
        breaker.recordSuccess(now: t0)
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        breaker.recordFailure(now: t0)
        breaker.recordFailure(now: t0)
        #expect(breaker.decide(now: t0) == .allow, "failures are counted only while consecutive")
    }

    @Test(arguments: [
        (Duration.zero, Duration.seconds(10)), (.seconds(4), .seconds(6)), (.milliseconds(9999), .milliseconds(1)),
    ])
    func openRejectsUntilTheWindowEnds(elapsed: Duration, retryAfter: Duration) {
        var breaker = Self.opened()
        #expect(breaker.decide(now: t0 + elapsed) == .reject(retryAfter: retryAfter))
        #expect(breaker.state == .open(until: t0 + .seconds(10)))
    }

    @Test(arguments: [Duration.seconds(10), .seconds(11), .seconds(3600)])
    func openLetsOneTrialThroughOnceTheWindowHasPassed(elapsed: Duration) {
        var breaker = Self.opened()
        let now = t0 + elapsed
        #expect(breaker.decide(now: now) == .allowTrial)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.decide(now: now) == .reject(retryAfter: .seconds(10)), "only one trial in flight")
        #expect(breaker.decide(now: now + .seconds(3)) == .reject(retryAfter: .seconds(7)))
    }

    @Test func successfulTrialCloses() {
        var breaker = Self.opened()
        #expect(breaker.decide(now: t0 + .seconds(10)) == .allowTrial)
        breaker.recordSuccess(now: t0 + .seconds(11))
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.decide(now: t0 + .seconds(11)) == .allow)
    }

    @Test func failedTrialReopensForAFullWindow() {
        var breaker = Self.opened()
        #expect(breaker.decide(now: t0 + .seconds(10)) == .allowTrial)
        breaker.recordFailure(now: t0 + .seconds(12))
        #expect(breaker.state == .open(until: t0 + .seconds(22)))
        #expect(breaker.decide(now: t0 + .seconds(21)) == .reject(retryAfter: .seconds(1)))
        #expect(breaker.decide(now: t0 + .seconds(22)) == .allowTrial)
    }

    @Test func aTrialWhoseOutcomeIsNeverReportedIsReplacedAfterAWindow() {
        var breaker = Self.opened()
        #expect(breaker.decide(now: t0 + .seconds(10)) == .allowTrial)
        #expect(breaker.decide(now: t0 + .seconds(19)) == .reject(retryAfter: .seconds(1)))
        #expect(breaker.decide(now: t0 + .seconds(20)) == .allowTrial)
        #expect(breaker.state == .halfOpen)
    }

    @Test func lateFailureWhileOpenDoesNotExtendTheWindow() {
        var breaker = Self.opened()
        breaker.recordFailure(now: t0 + .seconds(5))
        #expect(breaker.state == .open(until: t0 + .seconds(10)))
    }

    @Test func lateSuccessWhileOpenCloses() {
        // An invocation let through before the circuit opened still proves the function works.
        var breaker = Self.opened()
        breaker.recordSuccess(now: t0 + .seconds(1))
        #expect(breaker.decide(now: t0 + .seconds(1)) == .allow)
    }

    @Test func crashingFunctionFailsFastThenRecovers() {
        // STD-018: three crashes open the circuit, the fourth call fails fast without a
        // worker, and a call 11 s later runs as the trial and closes it.
        var breaker = CircuitBreaker(configuration: .init())
        for second in 0..<3 {
            #expect(breaker.decide(now: t0 + .seconds(second)) == .allow)
            breaker.recordFailure(now: t0 + .seconds(second))
        }
        guard case .reject = breaker.decide(now: t0 + .seconds(3)) else {
            Issue.record("the fourth call must fail fast")
            return
        }
        #expect(breaker.decide(now: t0 + .seconds(14)) == .allowTrial)
        breaker.recordSuccess(now: t0 + .seconds(14))
        #expect(breaker.decide(now: t0 + .seconds(14)) == .allow)
    }

    @Test(arguments: [7, 99, 2026] as [UInt64])
    func randomSequencesNeverRunTwoTrialsOrAllowWhileOpen(seed: UInt64) {
        let window = Duration.seconds(10)
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: 3, recoveryWindow: window))
        var random = SplitMix64(seed: seed)
        var now = t0
        var outstandingTrialSince: ContinuousClock.Instant?
        var consecutiveFailures = 0
        for step in 0..<5000 {
            now += .milliseconds(Int.random(in: 0...1500, using: &random))
            let before = breaker.state
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6:
                switch breaker.decide(now: now) {
                case .allow:
                    #expect(before == .closed(consecutiveFailures: consecutiveFailures), "step \(step)")
                case .allowTrial:
                    if let since = outstandingTrialSince {
                        #expect(since + window <= now, "step \(step): second trial while one is outstanding")
                    }
                    if case .open(let until) = before {
                        #expect(until <= now, "step \(step): trial before the window ended")
                    }
                    outstandingTrialSince = now
                case .reject(let retryAfter):
                    #expect(retryAfter > .zero, "step \(step)")
                    #expect(
                        before != .closed(consecutiveFailures: consecutiveFailures),
                        "step \(step): rejected while closed"
                    )
                }
            case 6..<8:
                breaker.recordSuccess(now: now)
                consecutiveFailures = 0
                outstandingTrialSince = nil
                #expect(breaker.state == .closed(consecutiveFailures: 0))
            default:
                breaker.recordFailure(now: now)
                switch before {
                case .closed:
                    consecutiveFailures += 1
                    if consecutiveFailures >= 3 {
                        #expect(breaker.state == .open(until: now + window), "step \(step)")
                        consecutiveFailures = 0
                    }
                case .halfOpen:
                    #expect(breaker.state == .open(until: now + window), "step \(step)")
                    outstandingTrialSince = nil
                case .open:
                    #expect(breaker.state == before, "step \(step)")
                }
            }
        }
    }
}
