import Metrics
import NimbusCore

/// One function's pool instruments, created once when its pool is made so the invoke path only
/// increments and records (no label lookups, no allocation). Names follow Prometheus
/// conventions; every series carries `function`.
///
/// The backend is whatever `MetricsFactory` the pools were given (the composition root passes a
/// Prometheus one); histogram buckets for the timers are in ``WorkerPools/durationHistogramBuckets``.
struct PoolMetrics: Sendable {
    enum Name {
        static let invocations = "nimbus_invocations_total"
        static let invocationDuration = "nimbus_invocation_duration_seconds"
        static let coldStarts = "nimbus_cold_starts_total"
        static let coldStartDuration = "nimbus_cold_start_duration_seconds"
        static let workerStartFailures = "nimbus_worker_start_failures_total"
        static let queueWait = "nimbus_queue_wait_seconds"
        static let workers = "nimbus_workers"
        static let queuedInvocations = "nimbus_queued_invocations"
        static let circuitBreakerOpen = "nimbus_circuit_breaker_open"
    }

    /// How one invocation ended, as the `outcome` label of ``Name/invocations``.
    enum Outcome: String, CaseIterable, Sendable {
        /// The handler returned.
        case success
        /// The handler raised, the runtime crashed or timed out.
        case functionError = "function_error"
        /// No worker could be started for it (init error, bad runtime).
        case initError = "init_error"
        /// The function's concurrency was exhausted (queue full or acquire timeout).
        case throttled
        /// Rejected by the open circuit breaker without touching a worker.
        case circuitOpen = "circuit_open"
        /// Refused because the stack is shutting down.
        case shuttingDown = "shutting_down"
    }

    private let success: Counter
    private let functionError: Counter
    private let initError: Counter
    private let throttled: Counter
    private let circuitOpen: Counter
    private let shuttingDown: Counter

    /// Time on the worker: from handing the event over to its response or error.
    let invocationDuration: Timer
    /// Worker starts that reached ready, and how long each took from spawn to ready.
    let coldStarts: Counter
    let coldStartDuration: Timer
    let workerStartFailures: Counter
    /// From asking the pool for a worker to getting one (or a failure).
    let queueWait: Timer
    let idleWorkers: Gauge
    let busyWorkers: Gauge
    let provisioningWorkers: Gauge
    let queuedInvocations: Gauge
    /// 1 while the breaker is open or half-open (callers fail fast), 0 when closed.
    let circuitBreakerOpen: Gauge

    init(function: FunctionName, factory: any MetricsFactory) {
        let function = ("function", function.rawValue)
        func invocations(_ outcome: Outcome) -> Counter {
            Counter(label: Name.invocations, dimensions: [function, ("outcome", outcome.rawValue)], factory: factory)
        }
        func workers(_ state: String) -> Gauge {
            Gauge(label: Name.workers, dimensions: [function, ("state", state)], factory: factory)
        }
        success = invocations(.success)
        functionError = invocations(.functionError)
        initError = invocations(.initError)
        throttled = invocations(.throttled)
        circuitOpen = invocations(.circuitOpen)
        shuttingDown = invocations(.shuttingDown)
        invocationDuration = Timer(label: Name.invocationDuration, dimensions: [function], factory: factory)
        coldStarts = Counter(label: Name.coldStarts, dimensions: [function], factory: factory)
        coldStartDuration = Timer(label: Name.coldStartDuration, dimensions: [function], factory: factory)
        workerStartFailures = Counter(label: Name.workerStartFailures, dimensions: [function], factory: factory)
        queueWait = Timer(label: Name.queueWait, dimensions: [function], factory: factory)
        idleWorkers = workers("idle")
        busyWorkers = workers("busy")
        provisioningWorkers = workers("provisioning")
        queuedInvocations = Gauge(label: Name.queuedInvocations, dimensions: [function], factory: factory)
        circuitBreakerOpen = Gauge(label: Name.circuitBreakerOpen, dimensions: [function], factory: factory)
        // Publish every series from the start, so a scrape shows zeros rather than nothing.
        for gauge in [idleWorkers, busyWorkers, provisioningWorkers, queuedInvocations, circuitBreakerOpen] {
            gauge.record(0)
        }
    }

    func count(_ outcome: Outcome) {
        switch outcome {
        case .success: success.increment()
        case .functionError: functionError.increment()
        case .initError: initError.increment()
        case .throttled: throttled.increment()
        case .circuitOpen: circuitOpen.increment()
        case .shuttingDown: shuttingDown.increment()
        }
    }

    /// What the gauges last showed, so unchanged values are not re-recorded on every action.
    struct GaugeValues: Equatable {
        var idle = 0
        var busy = 0
        var provisioning = 0
        var queued = 0
        var breakerOpen = false
    }

    func publish(_ values: GaugeValues, previous: GaugeValues) {
        if values.idle != previous.idle { idleWorkers.record(values.idle) }
        if values.busy != previous.busy { busyWorkers.record(values.busy) }
        if values.provisioning != previous.provisioning { provisioningWorkers.record(values.provisioning) }
        if values.queued != previous.queued { queuedInvocations.record(values.queued) }
        if values.breakerOpen != previous.breakerOpen { circuitBreakerOpen.record(values.breakerOpen ? 1 : 0) }
    }
}
