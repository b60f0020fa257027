/// The gateway's settings; defaults follow API Gateway's limits.
public struct GatewayConfiguration: Sendable {
    /// When false, API routes need no bearer token (`nimbus up --no-auth`).
    public var authEnabled: Bool = true
    /// The key `POST /user/auth/v1` expects in `x-api-key`.
    public var apiKey: String = ""
    public var username: String = ""
    public var password: String = ""
    /// API Gateway's payload limit: larger request bodies get 413.
    public var maximumBodySize: Int = 6 * 1024 * 1024
    public var region: String = "us-east-1"
    public var accountID: String = "000000000000"
    /// How long id and access tokens are valid (Cognito's default: one hour).
    public var tokenLifetime: Duration = .seconds(3600)
    /// How long refresh tokens are valid (Cognito's default: 30 days).
    public var refreshTokenLifetime: Duration = .seconds(30 * 86400)
    /// The REST API stage name in v1 events.
    public var stage: String = "Prod"

    public init() {}
}
