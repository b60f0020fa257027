import Logging
import NimbusCore
import ServiceLifecycle

/// Runs one asynchronous invocation until `AsyncRetryPolicy` says it is finished or discarded:
/// attempts it, waits, attempts again. Every retry and every discarded event is a warning.
struct AsyncInvocationRetry: Sendable {
    typealias Attempt = @Sendable (InvocationRequest) async throws(DispatchError) -> InvocationResult

    var policy: AsyncRetryPolicy
    var logger: Logger
    /// Runs the function once.
    var attempt: Attempt
    /// Whether the stack is stopping: a retry decided now would never run.
    var isShuttingDown: @Sendable () -> Bool
    /// Waits before a retry; false when the wait was cut short by shutdown or cancellation.
    var wait: @Sendable (Duration) async -> Bool = Self.sleepUnlessShuttingDown
    var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }

    /// - Parameter accepted: when the event was accepted; its age counts from here.
    /// - Returns: the last decision (`finished` or `discard`).
    @discardableResult
    func run(_ request: InvocationRequest, acceptedAt accepted: ContinuousClock.Instant) async -> AsyncRetryPolicy.Decision {
        var policy = self.policy
        var attempts = 0
        while true {
            attempts += 1
            let outcome: AsyncRetryPolicy.Outcome
            let failure: String
            do {
                outcome = Self.outcome(of: try await attempt(request).outcome)
                failure = if case .functionError(let type) = outcome { "function error \(type)" } else { "none" }
            } catch {
                outcome = .notRun(error.code)
                failure = error.description
            }
            let decision = policy.decide(after: outcome, eventAge: accepted.duration(to: now()), shuttingDown: isShuttingDown())
            var metadata: Logger.Metadata = [
                "function.name": "\(request.function)", "invocation.id": "\(request.requestID)",
                "invocation.attempt": "\(attempts)", "error": "\(failure)",
            ]
            switch decision {
            case .finished:
                return decision
            case .discard(let why):
                metadata["discard.reason"] = "\(why)"
                logger.warning("async event discarded", metadata: metadata)
                return decision
            case .retry(let delay):
                metadata["retry.delay"] = "\(delay)"
                logger.warning("async invocation failed; retrying", metadata: metadata)
                guard await wait(delay) else {
                    metadata["discard.reason"] = "\(AsyncRetryPolicy.DiscardReason.shuttingDown)"
                    logger.warning("async event discarded: pending retry dropped", metadata: metadata)
                    return .discard(.shuttingDown)
                }
            }
        }
    }

    private static func outcome(of result: InvocationResult.Outcome) -> AsyncRetryPolicy.Outcome {
        switch result {
        case .success: .success
        case .functionError(let type): .functionError(type: type)
        }
    }

    /// Sleeps, ending early at graceful shutdown or cancellation so a pending retry never holds
    /// up the drain. Runs under the pools' service task, whose graceful-shutdown signal reaches
    /// every job the supervisor starts.
    @Sendable static func sleepUnlessShuttingDown(_ delay: Duration) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            return true
        } catch {
            return false
        }
    }
}
