import Foundation
import Logging
import NimbusCore
import Synchronization
import Testing

@testable import NimbusWorkers

/// The retry loop around the policy, with scripted attempts and a clock that jumps instead of
/// sleeping. The live behaviour is covered by tests/compat/test_async_retries.py.
@Suite struct AsyncInvocationRetryTests {
    /// A scripted run: attempt results in order (the last repeats), virtual time, recorded waits
    /// and log lines.
    final class Script: Sendable {
        let results: [Result<InvocationResult.Outcome, DispatchError>]
        let start = ContinuousClock.now
        private let state = Mutex<(attempts: Int, elapsed: Duration, waits: [Duration])>((0, .zero, []))
        let log = LogRecorder()

        init(_ results: [Result<InvocationResult.Outcome, DispatchError>]) { self.results = results }

        var attempts: Int { state.withLock { $0.attempts } }
        var waits: [Duration] { state.withLock { $0.waits } }

        func retry(_ eventInvoke: EventInvokeConfiguration, shuttingDown: Bool = false, waitSucceeds: Bool = true) -> AsyncInvocationRetry {
            var configuration = WorkersConfiguration()
            configuration.asyncRetryDelays = [.seconds(60), .seconds(120)]
            let function = FunctionConfiguration(
                name: FunctionName("flaky")!, logicalID: "Flaky", runtime: "python3.12", handler: "app.handler", codePath: "/tmp",
                eventInvoke: eventInvoke)
            return AsyncInvocationRetry(
                policy: configuration.asyncRetryPolicy(for: function), logger: log.logger,
                attempt: { request throws(DispatchError) in
                    let index = self.state.withLock { state in
                        state.attempts += 1
                        return state.attempts - 1
                    }
                    switch self.results[min(index, self.results.count - 1)] {
                    case .success(let outcome): return InvocationResult(requestID: request.requestID, outcome: outcome, payload: Data())
                    case .failure(let error): throw error
                    }
                },
                isShuttingDown: { shuttingDown },
                wait: { delay in
                    self.state.withLock { state in
                        state.waits.append(delay)
                        state.elapsed += delay
                    }
                    return waitSucceeds
                },
                now: { self.start + self.state.withLock { $0.elapsed } })
        }

        func run(_ eventInvoke: EventInvokeConfiguration, shuttingDown: Bool = false, waitSucceeds: Bool = true) async
            -> AsyncRetryPolicy.Decision
        {
            let request = InvocationRequest(function: FunctionName("flaky")!, payload: Data("{}".utf8))
            return await retry(eventInvoke, shuttingDown: shuttingDown, waitSucceeds: waitSucceeds).run(request, acceptedAt: start)
        }
    }

    static let failed: Result<InvocationResult.Outcome, DispatchError> = .success(.functionError(type: "ValueError"))
    static let succeeded: Result<InvocationResult.Outcome, DispatchError> = .success(.success)
    static let throttled: Result<InvocationResult.Outcome, DispatchError> = .failure(DispatchError(.throttled, "Rate exceeded"))

    @Test("Success on the first attempt: one run, no wait, nothing logged")
    func success() async {
        let script = Script([Self.succeeded])
        #expect(await script.run(EventInvokeConfiguration()) == .finished)
        #expect(script.attempts == 1)
        #expect(script.waits.isEmpty)
        #expect(script.log.messages.isEmpty)
    }

    @Test("A function that keeps failing runs 1 + MaximumRetryAttempts times, then is discarded", arguments: [0, 1, 2])
    func keepsFailing(retries: Int) async {
        let script = Script([Self.failed])
        #expect(await script.run(EventInvokeConfiguration(maximumRetryAttempts: retries)) == .discard(.retriesExhausted))
        #expect(script.attempts == 1 + retries)
        #expect(script.waits == Array([Duration.seconds(60), .seconds(120)].prefix(retries)))
        #expect(script.log.messages == Array(repeating: "async invocation failed; retrying", count: retries) + ["async event discarded"])
        let discarded = script.log.entries.last?.metadata ?? [:]
        #expect(discarded["function.name"] == "flaky")
        #expect(discarded["invocation.attempt"] == "\(1 + retries)")
        #expect(discarded["error"] == "function error ValueError")
        #expect(discarded["discard.reason"] == "retries exhausted")
    }

    @Test("A failure then a success: two runs, one logged retry")
    func recovers() async {
        let script = Script([Self.failed, Self.succeeded])
        #expect(await script.run(EventInvokeConfiguration()) == .finished)
        #expect(script.attempts == 2)
        #expect(script.log.messages == ["async invocation failed; retrying"])
        #expect(script.log.entries.first?.metadata["retry.delay"] == "60.0 seconds")
    }

    @Test("Throttled: backed off 1, 2, 4, … s until the event would pass its maximum age")
    func throttledUntilTooOld() async {
        let script = Script([Self.throttled])
        #expect(await script.run(EventInvokeConfiguration(maximumEventAgeInSeconds: 60)) == .discard(.eventTooOld))
        #expect(script.waits == [1, 2, 4, 8, 16].map { Duration.seconds($0) })
        #expect(script.attempts == 6)
        #expect(script.log.entries.last?.metadata["error"] == "TooManyRequestsException: Rate exceeded")
    }

    @Test("Throttles do not use up retry attempts")
    func throttlesThenSuccess() async {
        let script = Script([Self.throttled, Self.throttled, Self.throttled, Self.succeeded])
        #expect(await script.run(EventInvokeConfiguration(maximumRetryAttempts: 0)) == .finished)
        #expect(script.attempts == 4)
    }

    @Test("A wait cut short by shutdown drops the pending retry, with a log line")
    func shutdownDuringWait() async {
        let script = Script([Self.failed])
        #expect(await script.run(EventInvokeConfiguration(), waitSucceeds: false) == .discard(.shuttingDown))
        #expect(script.attempts == 1)
        #expect(script.log.messages == ["async invocation failed; retrying", "async event discarded: pending retry dropped"])
    }

    @Test("A failure while the stack stops is not retried")
    func failureDuringShutdown() async {
        let script = Script([Self.failed])
        #expect(await script.run(EventInvokeConfiguration(), shuttingDown: true) == .discard(.shuttingDown))
        #expect(script.waits.isEmpty)
    }

    @Test("The production wait ends at once when its task is cancelled")
    func sleepEndsOnCancellation() async {
        let sleeper = Task { await AsyncInvocationRetry.sleepUnlessShuttingDown(.seconds(600)) }
        sleeper.cancel()
        #expect(await sleeper.value == false)
        #expect(await AsyncInvocationRetry.sleepUnlessShuttingDown(.milliseconds(1)) == true)
    }
}

/// Log entries kept in memory.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let recorded = Mutex<[Entry]>([])

    var entries: [Entry] { recorded.withLock { $0 } }
    var messages: [String] { entries.map(\.message) }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    fileprivate func append(_ entry: Entry) { recorded.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append(Entry(message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
