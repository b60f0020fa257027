import Hummingbird
import NIOCore

/// The request context of the gateway and the AWS endpoint: knows the peer address, and
/// leaves body limits to the handlers (which enforce AWS's own limits per operation).
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { 8 * 1024 * 1024 }

    /// The peer's IP address as text, for `sourceIp`.
    public var sourceIP: String { remoteAddress?.ipAddress ?? "127.0.0.1" }
}
