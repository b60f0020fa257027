import Foundation
import NimbusCore

/// How Nimbus runs workers. Read once in the composition root; defaults suit local development.
public struct WorkersConfiguration: Sendable {
    public enum PythonBootstrap: String, Sendable {
        /// Nimbus's own standard-library bootstrap (default).
        case builtin
        /// The official AWS runtime interface client: `python3 -m awslambdaric HANDLER`.
        case awslambdaric
    }

    /// How workers are kept apart from the host and from each other.
    public enum Isolation: String, Sendable, CaseIterable {
        /// The sandbox when bubblewrap works on this host, else plain processes (default).
        case auto
        /// bubblewrap: own mount, pid, ipc and uts namespaces; the function sees its code at
        /// /var/task, layers at /opt, the host's system folders read-only and a private /tmp.
        /// Workers fail to start when bubblewrap is not available.
        case sandbox
        /// Plain processes in their own process group.
        case process
    }

    /// Region workers see in `AWS_REGION` and ARNs.
    public var region: String = "us-east-1"
    public var accountID: String = "000000000000"
    /// Nimbus's AWS endpoint (`http://127.0.0.1:PORT`), exported as `AWS_ENDPOINT_URL`; asked at
    /// each worker start because the port may only be known once the server listens.
    public var awsEndpointProvider: @Sendable () -> String? = { nil }
    /// Credentials handed to workers so the AWS SDKs sign requests to Nimbus.
    public var accessKeyID: String = "test"
    public var secretAccessKey: String = "test"
    /// The python interpreter every `python3.x` runtime maps to.
    public var pythonExecutable: String = "python3"
    public var pythonBootstrap: PythonBootstrap = .builtin
    public var isolation: Isolation = .auto
    /// Fork python workers (built-in bootstrap) from a per-function template process that has
    /// already started the interpreter and loaded the bootstrap, instead of starting python for
    /// every worker. The handler is still imported by each worker. Falls back to a direct start
    /// whenever the zygote is not ready.
    public var zygote: Bool = true
    /// Most processes and threads one worker may have, where a pids cgroup controller is in force.
    public var workerPidsLimit: Int = 256
    /// Pool settings for functions that do not set their own.
    public var defaultPool = PoolConfiguration()
    public var breaker = CircuitBreakerConfiguration()
    /// How long a worker may take to initialise (AWS: 10 s).
    public var initTimeout: Duration = .seconds(10)
    /// How long shutdown waits for in-flight invocations.
    public var drainTimeout: Duration = .seconds(10)
    /// Extra variables for every worker (after AWS's, before the function's own).
    public var extraEnvironment: [String: String] = [:]
    /// Per-function idle timeout overrides (seeds ASC-005/006 use short windows).
    public var idleTimeoutOverrides: [FunctionName: Duration] = [:]
    /// Waits before the first, second, … retry of an async invocation after a function error
    /// (AWS: about 1 and 2 minutes); the last entry repeats.
    public var asyncRetryDelays: [Duration] = [.seconds(60), .seconds(120)]
    /// First wait after an async invocation was throttled (or the platform failed); doubled
    /// after each further throttle up to `asyncThrottleBackoffCap` (AWS: 1 s up to 5 minutes).
    public var asyncThrottleBackoffBase: Duration = .seconds(1)
    public var asyncThrottleBackoffCap: Duration = .seconds(300)

    public init() {}

    /// The pool configuration for one function: its own limits over the defaults.
    public func poolConfiguration(for function: FunctionConfiguration) -> PoolConfiguration {
        var pool = defaultPool
        if let reserved = function.reservedConcurrency { pool.maxCapacity = max(reserved, 0) }
        if let provisioned = function.provisionedConcurrency { pool.minCapacity = min(provisioned, pool.maxCapacity) }
        if let idle = idleTimeoutOverrides[function.name] { pool.idleTimeout = idle }
        return pool
    }

    /// How one function's async invocations are retried: its `EventInvokeConfig` with these waits.
    public func asyncRetryPolicy(for function: FunctionConfiguration) -> AsyncRetryPolicy {
        AsyncRetryPolicy(
            eventInvoke: function.eventInvoke, retryDelays: asyncRetryDelays,
            throttleBackoffBase: asyncThrottleBackoffBase, throttleBackoffCap: asyncThrottleBackoffCap)
    }

    public func functionARN(_ name: FunctionName) -> String {
        LambdaARN.function(name.rawValue, region: region, accountID: accountID)
    }
}
