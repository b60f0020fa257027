import Foundation
import NIOCore
import NimbusCore
import Synchronization
import Testing

@testable import NimbusGateway

/// A function name from a literal known to be valid.
func name(_ text: String) -> FunctionName {
    FunctionName(text)!
}

/// Parses a JSON object, failing the test when the data is anything else.
func jsonObject(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    return try #require(value as? [String: Any], sourceLocation: sourceLocation)
}

func jsonObject(_ buffer: ByteBuffer, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try jsonObject(Data(buffer: buffer), sourceLocation: sourceLocation)
}

/// A fixed instant (2023-11-14 22:13:20 UTC) so times in tokens and events are predictable.
let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)

/// An `InvocationDispatcher` that answers from a closure and records what it was given.
struct FakeDispatcher: InvocationDispatcher {
    final class Recorder: Sendable {
        private let state = Mutex<(invoked: [InvocationRequest], enqueued: [InvocationRequest])>(([], []))
        var invoked: [InvocationRequest] { state.withLock { $0.invoked } }
        var enqueued: [InvocationRequest] { state.withLock { $0.enqueued } }
        func invoke(_ request: InvocationRequest) { state.withLock { $0.invoked.append(request) } }
        func enqueue(_ request: InvocationRequest) { state.withLock { $0.enqueued.append(request) } }
    }

    typealias Handler = @Sendable (InvocationRequest) throws(DispatchError) -> InvocationResult

    var functions: [FunctionConfiguration]
    var handler: Handler
    var enqueueError: DispatchError?
    let recorder = Recorder()

    init(functions: [FunctionConfiguration] = [echoFunction], enqueueError: DispatchError? = nil, handler: @escaping Handler = Self.echo) {
        self.functions = functions
        self.handler = handler
        self.enqueueError = enqueueError
    }

    static let echoFunction = FunctionConfiguration(
        name: name("echo"), logicalID: "EchoFunction", runtime: "python3.12", handler: "app.handler", codePath: "/tmp/echo",
        autoPublishAlias: "live")

    /// Returns the request payload unchanged.
    static let echo: Handler = { request in
        InvocationResult(requestID: request.requestID, outcome: .success, payload: request.payload)
    }

    /// Answers every invocation with `payload`.
    static func answering(_ payload: String, outcome: InvocationResult.Outcome = .success, logLines: [String] = []) -> Handler {
        { request in
            InvocationResult(requestID: request.requestID, outcome: outcome, payload: Data(payload.utf8), logLines: logLines)
        }
    }

    /// Fails every invocation with a dispatch error.
    static func failing(_ code: DispatchError.Code) -> Handler {
        { _ throws(DispatchError) in throw DispatchError(code, "dispatch failed: \(code.rawValue)") }
    }

    func function(named name: FunctionName) -> FunctionConfiguration? {
        functions.first { $0.name == name }
    }

    func invoke(_ request: InvocationRequest) async throws(DispatchError) -> InvocationResult {
        recorder.invoke(request)
        return try handler(request)
    }

    func enqueue(_ request: InvocationRequest) throws(DispatchError) {
        if let enqueueError { throw enqueueError }
        recorder.enqueue(request)
    }
}
