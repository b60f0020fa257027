import Foundation
import Hummingbird

/// `GET /health`: the gateway is up (seed SMK-001, STD-005).
public struct HealthController: Sendable {
    public init() {}

    /// Serialized once: load balancers and benchmarks call this often, and JSONSerialization cost
    /// a tenth of the request.
    private static let body = Data(#"{"status":"healthy"}"#.utf8)

    public func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("health") { _, _ in
            HTTPResponses.raw(.ok, Self.body)
        }
    }
}
