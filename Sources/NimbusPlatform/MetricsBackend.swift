import Metrics
import NimbusWorkers
import Prometheus

/// The swift-metrics backend: Prometheus registries, exposed by the gateway's `GET /metrics`.
///
/// `MetricsSystem.bootstrap` may run once per process, yet a process may run several stacks
/// (the test suite does). So the global backend is bootstrapped once, on first use, and holds
/// what only the global factory can reach (Hummingbird's `MetricsMiddleware`, libraries); each
/// stack's own instruments (the pools) go to a registry of that stack, passed explicitly, so two
/// stacks in one process never mix their `function` series.
enum MetricsBackend {
    /// The registry behind the global `MetricsSystem` factory: bootstrapped here on first use
    /// unless the process already chose a backend. If that backend is Prometheus its registry is
    /// used; if it is something else, nil (HTTP metrics then go there, not to `/metrics`).
    static let globalRegistry: PrometheusCollectorRegistry? = {
        // A static initialiser runs exactly once per process, so this is the process-wide once.
        let current = MetricsSystem.factory
        if let prometheus = current as? PrometheusMetricsFactory { return prometheus.registry }
        guard current is NOOPMetricsHandler else { return nil }
        let factory = makeFactory(registry: PrometheusMetricsFactory.defaultRegistry)
        MetricsSystem.bootstrap(factory)
        return factory.registry
    }()

    /// A Prometheus factory writing to `registry`, with the buckets Nimbus's histograms want.
    static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = WorkerPools.durationHistogramBuckets
        return factory
    }
}
