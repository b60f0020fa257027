import Hummingbird

/// `GET /health`: the gateway is up (seed SMK-001, STD-005).
public struct HealthController: Sendable {
    public init() {}

    public func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("health") { _, _ in
            HTTPResponses.json(.ok, ["status": "healthy"])
        }
    }
}
