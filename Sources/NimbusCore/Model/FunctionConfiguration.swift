/// Everything Nimbus needs to run one Lambda function, resolved from the template
/// (Globals merged, intrinsics evaluated, paths absolute).
public struct FunctionConfiguration: Sendable, Hashable {
    /// The function's name as callers use it (`FunctionName` property, else the logical id).
    public var name: FunctionName
    /// The template's logical id (`EchoFunction`).
    public var logicalID: String
    /// The runtime identifier as written (`python3.12`, `java17`, `nodejs20.x`).
    public var runtime: String
    /// `module.function` for python, `Class::method` for java, `file.export` for node.
    public var handler: String
    /// Absolute path of the function's code folder.
    public var codePath: String
    /// Seconds before an invocation ends with `Sandbox.Timedout` (AWS default 3).
    public var timeout: Double
    /// MiB of memory (AWS default 128).
    public var memorySize: Int
    /// MiB of `/tmp` (AWS default 512).
    public var ephemeralStorage: Int
    public var environment: [String: String]
    /// Absolute paths of the layer folders, in the order listed.
    public var layers: [String]
    /// `ReservedConcurrentExecutions`: the most workers this function may run at once.
    public var reservedConcurrency: Int?
    /// `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions`: workers kept warm.
    public var provisionedConcurrency: Int?
    public var autoPublishAlias: String?
    public var architectures: [String]
    public var events: [FunctionEvent]
    /// `EventInvokeConfig`: retries and maximum age of asynchronous invocations.
    public var eventInvoke: EventInvokeConfiguration

    public init(
        name: FunctionName,
        logicalID: String,
        runtime: String,
        handler: String,
        codePath: String,
        timeout: Double = 3,
        memorySize: Int = 128,
        ephemeralStorage: Int = 512,
        environment: [String: String] = [:],
        layers: [String] = [],
        reservedConcurrency: Int? = nil,
        provisionedConcurrency: Int? = nil,
        autoPublishAlias: String? = nil,
        architectures: [String] = ["x86_64"],
        events: [FunctionEvent] = [],
        eventInvoke: EventInvokeConfiguration = EventInvokeConfiguration()
    ) {
        self.name = name
        self.logicalID = logicalID
        self.runtime = runtime
        self.handler = handler
        self.codePath = codePath
        self.timeout = timeout
        self.memorySize = memorySize
        self.ephemeralStorage = ephemeralStorage
        self.environment = environment
        self.layers = layers
        self.reservedConcurrency = reservedConcurrency
        self.provisionedConcurrency = provisionedConcurrency
        self.autoPublishAlias = autoPublishAlias
        self.architectures = architectures
        self.events = events
        self.eventInvoke = eventInvoke
    }

    /// The language family the runtime identifier names, or nil when Nimbus cannot run it.
    public var runtimeFamily: RuntimeFamily? { RuntimeFamily(runtime: runtime) }

    public var httpRoutes: [HTTPRoute] {
        events.compactMap { if case .http(let route) = $0.kind { route } else { nil } }
    }
}

public enum RuntimeFamily: String, Sendable, Hashable, CaseIterable {
    case python, java, node

    public init?(runtime: String) {
        if runtime.hasPrefix("python3.") { self = .python }
        else if runtime.hasPrefix("java") { self = .java }
        else if runtime.hasPrefix("nodejs") { self = .node }
        else { return nil }
    }
}

/// One entry of a function's `Events`.
public struct FunctionEvent: Sendable, Hashable {
    public var logicalID: String
    public var kind: Kind

    public enum Kind: Sendable, Hashable {
        case http(HTTPRoute)
        case schedule(ScheduleEvent)
    }

    public init(logicalID: String, kind: Kind) {
        self.logicalID = logicalID
        self.kind = kind
    }
}

/// An `Api` (REST, payload 1.0) or `HttpApi` (payload 2.0) event.
public struct HTTPRoute: Sendable, Hashable {
    public enum API: String, Sendable, Hashable {
        /// `Type: Api` → API Gateway REST proxy event (v1).
        case rest
        /// `Type: HttpApi` → API Gateway HTTP API event (payload format 2.0).
        case http
    }

    public var api: API
    /// Path template as written: `/api/items/{id}`, `/files/{proxy+}`.
    public var path: String
    /// Upper-case method, or nil for `ANY`.
    public var method: String?
    public var function: FunctionName

    public init(api: API, path: String, method: String?, function: FunctionName) {
        self.api = api
        self.path = path
        self.method = method
        self.function = function
    }

    /// `GET /api/items/{id}` or `ANY /files/{proxy+}`: the v2 `routeKey`.
    public var routeKey: String { "\(method ?? "ANY") \(path)" }
}

/// A `Schedule` event: kept for the scheduler.
public struct ScheduleEvent: Sendable, Hashable {
    /// `rate(5 minutes)` or `cron(0 12 * * ? *)`.
    public var expression: String
    /// The `Input` JSON text, when given.
    public var input: String?
    public var enabled: Bool
    public var name: String?

    public init(expression: String, input: String? = nil, enabled: Bool = true, name: String? = nil) {
        self.expression = expression
        self.input = input
        self.enabled = enabled
        self.name = name
    }
}
