import Foundation
import NimbusCore
import Synchronization

/// An invocation handed to a worker's runtime through `GET …/invocation/next`.
struct PendingInvocation: Sendable {
    var request: InvocationRequest
    var deadline: Date
    var functionARN: String
}

/// How one invocation on a worker ended, as seen by the Runtime API.
enum RuntimeCompletion: Sendable {
    case response(Data)
    case error(type: String, payload: Data)
    /// The runtime process ended before answering.
    case exited(String)
    case timedOut
}

/// Why a worker never became ready.
enum RuntimeInitFailure: Error, Sendable {
    /// The runtime reported `/runtime/init/error`: the payload is its error JSON.
    case initError(type: String, payload: Data)
    case exited(String)
    case timedOut
}

/// The rendezvous between one worker's Runtime API and the pool: hands the current invocation
/// to the runtime's long poll and returns the runtime's answer to the waiting caller.
final class RuntimeChannel: Sendable {
    private enum Phase {
        case initializing(CheckedContinuation<Void, any Error>?)
        case ready
        case closed
    }

    private struct InFlight {
        var id: InvocationID
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<RuntimeCompletion, Never>
    }

    private struct State {
        var phase: Phase = .initializing(nil)
        var initFailure: RuntimeInitFailure?
        /// The runtime's pending `next`: called with the invocation, or nil once closed.
        var runtimeWaiting: (@Sendable (PendingInvocation?) -> Void)?
        var queued: PendingInvocation?
        var inFlight: InFlight?
        /// The request whose output is being written: stays set after completion until the
        /// next invocation, so late lines still carry the right request id.
        var logRequestID: InvocationID?
        /// Lines written since the current invocation was handed over.
        var logLines: [String] = []
    }

    private let state = Mutex(State())

    // MARK: Pool side

    /// Waits until the runtime has initialised (its first `next`), or fails with why it did not.
    func waitUntilReady() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, RuntimeInitFailure>? = state.withLock { state in
                if let failure = state.initFailure { return .failure(failure) }
                switch state.phase {
                case .ready: return .success(())
                case .closed: return .failure(.exited("closed"))
                case .initializing:
                    state.phase = .initializing(continuation)
                    return nil
                }
            }
            if let outcome { continuation.resume(with: outcome.mapError { $0 }) }
        }
    }

    /// Hands an invocation to the runtime and waits for its answer (or ``timeOutIfOverdue(now:)``
    /// past `deadline`).
    func submit(_ invocation: PendingInvocation, deadline: ContinuousClock.Instant) async -> RuntimeCompletion {
        await withCheckedContinuation { (continuation: CheckedContinuation<RuntimeCompletion, Never>) in
            let waiting: (@Sendable (PendingInvocation?) -> Void)?? = state.withLock { state in
                if case .closed = state.phase { return .none }
                state.inFlight = InFlight(id: invocation.request.requestID, deadline: deadline, continuation: continuation)
                state.logRequestID = invocation.request.requestID
                state.logLines = []
                if let waiting = state.runtimeWaiting {
                    state.runtimeWaiting = nil
                    return .some(waiting)
                }
                state.queued = invocation
                return .some(nil)
            }
            switch waiting {
            case .none: continuation.resume(returning: .exited("worker closed"))
            case .some(let runtime?): runtime(invocation)
            case .some(nil): break
            }
        }
    }

    /// Ends the in-flight invocation with a timeout if it has run past its deadline.
    func timeOutIfOverdue(now: ContinuousClock.Instant) {
        let overdue = state.withLock { state in state.inFlight.flatMap { $0.deadline <= now ? $0.id : nil } }
        if let overdue { finish(overdue, with: .timedOut) }
    }

    /// The process ended: fail whatever waits on it.
    func close(reason: String) {
        let (phase, inFlight, runtime) = state.withLock { state in
            let result = (state.phase, state.inFlight, state.runtimeWaiting)
            if state.initFailure == nil, case .initializing = state.phase { state.initFailure = .exited(reason) }
            state.phase = .closed
            state.inFlight = nil
            state.queued = nil
            state.runtimeWaiting = nil
            return result
        }
        if case .initializing(let waiter?) = phase {
            waiter.resume(throwing: state.withLock { $0.initFailure } ?? .exited(reason))
        }
        inFlight?.continuation.resume(returning: .exited(reason))
        runtime?(nil)
    }

    /// Records a line of worker output; returns the request it belongs to.
    func recordLine(_ line: String) -> InvocationID? {
        state.withLock { state in
            if state.logRequestID != nil { state.logLines.append(line) }
            return state.logRequestID
        }
    }

    /// The lines written since the current (or last) invocation was handed over.
    func takeLogLines() -> [String] {
        state.withLock { state in
            defer { state.logLines = [] }
            return state.logLines
        }
    }

    // MARK: Runtime side

    /// `GET /runtime/invocation/next`: `deliver` gets the next invocation (nil once the worker
    /// closes), at once or when one is submitted. The first call marks the runtime initialised.
    func next(_ deliver: @escaping @Sendable (PendingInvocation?) -> Void) {
        let (ready, immediate): (CheckedContinuation<Void, any Error>?, PendingInvocation??) = state.withLock { state in
            var ready: CheckedContinuation<Void, any Error>?
            switch state.phase {
            case .closed: return (nil, .some(nil))
            case .initializing(let waiter):
                ready = waiter
                state.phase = .ready
            case .ready: break
            }
            if let queued = state.queued {
                state.queued = nil
                return (ready, .some(queued))
            }
            state.runtimeWaiting = deliver
            return (ready, .none)
        }
        ready?.resume()
        if case .some(let invocation) = immediate { deliver(invocation) }
    }

    /// `POST …/{id}/response` or `…/{id}/error`. False when `id` is not the in-flight request.
    func complete(_ id: InvocationID, with completion: RuntimeCompletion) -> Bool {
        finish(id, with: completion)
    }

    /// `POST /runtime/init/error`.
    func initFailed(type: String, payload: Data) {
        let waiter: CheckedContinuation<Void, any Error>? = state.withLock { state in
            state.initFailure = .initError(type: type, payload: payload)
            if case .initializing(let waiter) = state.phase {
                state.phase = .initializing(nil)
                return waiter
            }
            return nil
        }
        waiter?.resume(throwing: RuntimeInitFailure.initError(type: type, payload: payload))
    }

    @discardableResult
    private func finish(_ id: InvocationID, with completion: RuntimeCompletion) -> Bool {
        let inFlight: InFlight? = state.withLock { state in
            guard let inFlight = state.inFlight, inFlight.id == id else { return nil }
            state.inFlight = nil
            state.queued = nil
            return inFlight
        }
        inFlight?.continuation.resume(returning: completion)
        return inFlight != nil
    }
}
