import Foundation

/// One call of a function, as the gateway, the Invoke API or the scheduler hands it over.
public struct InvocationRequest: Sendable {
    public var function: FunctionName
    public var payload: Data
    public var requestID: InvocationID
    public var trace: TraceHeader
    /// Base64 `ClientContext`, passed to the runtime untouched.
    public var clientContext: String?
    public var cognitoIdentity: String?
    /// The qualifier the caller named (`$LATEST`, an alias or a version).
    public var qualifier: String?

    public init(
        function: FunctionName,
        payload: Data,
        requestID: InvocationID = InvocationID(),
        trace: TraceHeader = .generate(),
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        qualifier: String? = nil
    ) {
        self.function = function
        self.payload = payload
        self.requestID = requestID
        self.trace = trace
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.qualifier = qualifier
    }
}

/// What an invocation produced. Function failures are results, not thrown errors,
/// because AWS reports them as a 200 with `X-Amz-Function-Error`.
public struct InvocationResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The handler returned; `payload` is its JSON.
        case success
        /// The handler raised, the runtime crashed, timed out or failed to initialise.
        /// `payload` is `{"errorMessage":…,"errorType":…}`.
        case functionError(type: String)
    }

    public var requestID: InvocationID
    public var outcome: Outcome
    public var payload: Data
    /// The log lines the worker wrote during the invocation, oldest first.
    public var logLines: [String]
    public var duration: Duration

    public init(requestID: InvocationID, outcome: Outcome, payload: Data, logLines: [String] = [], duration: Duration = .zero) {
        self.requestID = requestID
        self.outcome = outcome
        self.payload = payload
        self.logLines = logLines
        self.duration = duration
    }

    /// An error result in the shape the Lambda runtimes use.
    public static func error(
        requestID: InvocationID, type: String, message: String, logLines: [String] = [], duration: Duration = .zero
    ) -> InvocationResult {
        let body = JSONValue.object(["errorType": .string(type), "errorMessage": .string(message)]).jsonData()
        return InvocationResult(
            requestID: requestID, outcome: .functionError(type: type), payload: body, logLines: logLines, duration: duration)
    }
}

/// Why the platform could not run an invocation at all (as opposed to the function failing).
public struct DispatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// No such function.
        case functionNotFound = "ResourceNotFoundException"
        /// The function's concurrency is exhausted and the wait for a worker ran out.
        case throttled = "TooManyRequestsException"
        /// The circuit breaker is open: failing fast without touching a worker.
        case circuitOpen = "CircuitBreakerOpen"
        /// The stack is shutting down.
        case shuttingDown = "ServiceUnavailableException"
        /// A worker could not be started (bad runtime, spawn failure).
        case workerUnavailable = "ServiceException"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// Runs invocations. Implemented by the worker pools; used by the gateway, the Invoke API
/// and the scheduler, which know nothing else about workers.
public protocol InvocationDispatcher: Sendable {
    /// The configuration of a function, or nil when the stack has none by that name.
    func function(named name: FunctionName) -> FunctionConfiguration?

    /// Runs one invocation and waits for its result.
    func invoke(_ request: InvocationRequest) async throws(DispatchError) -> InvocationResult

    /// Accepts an invocation to run in the background (`InvocationType: Event`).
    func enqueue(_ request: InvocationRequest) throws(DispatchError)
}
