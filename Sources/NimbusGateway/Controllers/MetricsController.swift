import Foundation
import Hummingbird
import NimbusCore

/// `GET /metrics/pools` and `GET /metrics/containers` (seed STD-013, ASC-*): every pool's
/// capacity and occupancy, and every worker's process, memory and CPU.
public struct MetricsController: Sendable {
    let pools: any PoolStatusProvider
    let authenticator: BearerAuthenticator?

    /// - Parameter authenticator: when set, the routes need a bearer token like API routes.
    public init(pools: any PoolStatusProvider, authenticator: BearerAuthenticator?) {
        self.pools = pools
        self.authenticator = authenticator
    }

    public func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("metrics/pools") { request, _ in
            guard self.authorized(request) else { return HTTPResponses.message(.unauthorized, "Unauthorized") }
            return HTTPResponses.json(.ok, ["pools": await self.pools.statuses().map(Self.pool)])
        }
        router.get("metrics/containers") { request, _ in
            guard self.authorized(request) else { return HTTPResponses.message(.unauthorized, "Unauthorized") }
            let containers = await self.pools.statuses().flatMap { pool in pool.workers.map { Self.container($0, of: pool) } }
            return HTTPResponses.json(.ok, ["containers": containers])
        }
    }

    private func authorized(_ request: Request) -> Bool {
        guard let authenticator else { return true }
        return authenticator.authenticate(authorization: request.headers[.authorization]) != nil
    }

    static func pool(_ status: PoolStatus) -> [String: Any] {
        let breaker: String = switch status.breaker {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half_open"
        }
        return [
            "function_name": status.function.rawValue,
            "total_workers": status.snapshot.totalWorkers,
            "idle": status.snapshot.idle,
            "busy": status.snapshot.busy,
            "provisioning": status.snapshot.provisioning,
            "max_capacity": status.configuration.maxCapacity,
            "min_capacity": status.configuration.minCapacity,
            "acquire_timeout": seconds(status.configuration.acquireTimeout),
            "idle_timeout": seconds(status.configuration.idleTimeout),
            "queue_length": status.snapshot.queueLength,
            "breaker_state": breaker,
        ]
    }

    /// `state` is the process state (RUNNING while the process lives, as a container's would
    /// be); `activity` says what the worker is doing.
    static func container(_ worker: WorkerStatus, of pool: PoolStatus) -> [String: Any] {
        let activity: String = switch worker.state {
        case .starting?: "starting"
        case .idle?: "idle"
        case .busy?: "busy"
        case .stopping?: "stopping"
        case nil: "unknown"
        }
        return [
            "function_name": pool.function.rawValue,
            "worker_id": worker.id.description,
            "pid": worker.pid.map { Int($0) } ?? NSNull(),
            "state": worker.state == .stopping ? "STOPPING" : "RUNNING",
            "activity": activity,
            "memory_max": worker.memoryLimitBytes,
            "memory_current": worker.memoryCurrentBytes ?? 0,
            "cpu_usage_ns": worker.cpuUsageNanoseconds ?? 0,
            "started_at": ISO8601DateFormatter().string(from: worker.startedAt),
            "invocations": worker.invocationsServed,
        ]
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
