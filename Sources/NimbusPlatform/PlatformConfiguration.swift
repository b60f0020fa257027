import Foundation
import NimbusGateway
import NimbusWorkers

/// Everything `nimbus up` needs, assembled once from environment, flags and defaults.
public struct PlatformConfiguration: Sendable {
    /// Loopback by default: a development stack is not a public server.
    public var host: String = "127.0.0.1"
    /// The gateway's port (API routes, auth, Invoke API, health); 0 picks a free port.
    public var gatewayPort: Int = 3000
    /// The AWS endpoint's port (S3, DynamoDB, Lambda); 0 picks a free port.
    public var awsPort: Int = 4566
    /// Where objects, tables, keys and credentials persist.
    public var dataDirectory: String = ".nimbus"
    public var gateway = GatewayConfiguration()
    public var workers = WorkersConfiguration()
    /// Recompute SigV4 signatures on the AWS endpoint with `workers.accessKeyID` /
    /// `workers.secretAccessKey` (the credentials workers get); otherwise any well-formed
    /// signature is accepted, as local emulators do.
    public var strictSignatures: Bool = false
    /// Echo worker output to standard output.
    public var echoWorkerOutput: Bool = true
    /// Lines of worker output kept in memory.
    public var logBufferLines: Int = 10_000

    public init() {}
}
