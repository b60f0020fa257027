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
    /// What an acknowledged S3 or DynamoDB write survives.
    public var durability: Durability = .disk
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

/// What an acknowledged S3 or DynamoDB write survives. Either way a crash never leaves a
/// half-written object or a torn transaction visible.
public enum Durability: String, Sendable, CaseIterable {
    /// On disk before it is acknowledged (`fdatasync` of the S3 journal, SQLite
    /// `synchronous=FULL`): survives a power cut or an OS crash as well as a crash of Nimbus.
    case disk
    /// Handed to the operating system before it is acknowledged: survives a crash or `kill -9`
    /// of Nimbus, but a power cut or an OS crash may lose the last seconds of writes (SQLite
    /// `synchronous=NORMAL`; S3 without journal flushes). For development machines.
    case process
}
