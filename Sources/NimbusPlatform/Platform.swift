import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NimbusCore
import NimbusDynamo
import NimbusGateway
import NimbusS3
import NimbusSigV4
import NimbusWorkers
import Prometheus
import ServiceLifecycle
import Synchronization

/// The composition root: one stack's services (gateway, AWS endpoint, worker pools) wired
/// together and run as one `ServiceGroup`.
public final class Platform: Sendable {
    public let stack: StackDefinition
    public let configuration: PlatformConfiguration
    public let logSink: MemoryLogSink
    public let pools: WorkerPools
    private let gateway: Application<RouterResponder<GatewayRequestContext>>
    private let awsEndpoint: Application<RouterResponder<GatewayRequestContext>>
    private let storageServices: [any Service]
    private let listening = ListeningPorts()
    private let logger: Logger

    public init(stack: StackDefinition, configuration: PlatformConfiguration, logger: Logger) throws {
        self.stack = stack
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let sink = MemoryLogSink(capacity: configuration.logBufferLines, echo: configuration.echoWorkerOutput)
        logSink = sink

        let listening = self.listening
        var workers = configuration.workers
        let host = configuration.host
        workers.awsEndpointProvider = { listening.aws.map { "http://\(host):\($0)" } }
        // This stack's own metrics; process-wide ones (HTTP) are in the global registry.
        let metricsRegistry = PrometheusCollectorRegistry()
        pools = WorkerPools(
            functions: stack.functions, configuration: workers, sink: sink, logger: logger,
            metricsFactory: MetricsBackend.makeFactory(registry: metricsRegistry))

        let key = try TokenIssuer.loadOrCreateKey(at: "\(configuration.dataDirectory)/auth/signing-key.pem")
        let authenticator = BearerAuthenticator(issuer: TokenIssuer(
            key: key, tokenLifetime: configuration.gateway.tokenLifetime,
            refreshLifetime: configuration.gateway.refreshTokenLifetime))
        let invoke = InvokeController(dispatcher: pools, region: workers.region, accountID: workers.accountID)
        let functions = FunctionsController(functions: stack.functions, region: workers.region, accountID: workers.accountID)

        let gatewayRouter = Router(context: GatewayRequestContext.self)
        let globalMetricsRegistry = MetricsBackend.globalRegistry  // bootstraps MetricsSystem once per process
        gatewayRouter.add(middleware: MetricsMiddleware())
        gatewayRouter.add(middleware: APIRouteMiddleware(
            routes: RouteTable(routes: stack.routes), dispatcher: pools, authenticator: authenticator,
            configuration: configuration.gateway, logger: logger))
        HealthController().addRoutes(to: gatewayRouter)
        AuthController(configuration: configuration.gateway, authenticator: authenticator).addRoutes(to: gatewayRouter)
        invoke.addRoutes(to: gatewayRouter)
        functions.addRoutes(to: gatewayRouter)
        MetricsController(pools: pools, authenticator: configuration.gateway.authEnabled ? authenticator : nil)
            .addRoutes(to: gatewayRouter)
        PrometheusController(registries: [metricsRegistry] + (globalMetricsRegistry.map { [$0] } ?? []))
            .addRoutes(to: gatewayRouter)
        gateway = Application(
            router: gatewayRouter,
            configuration: .init(address: .hostname(configuration.host, port: configuration.gatewayPort), serverName: "Nimbus"),
            onServerRunning: { listening.setGateway($0.localAddress?.port ?? 0) },
            logger: logger)

        let diskDurability = configuration.durability == .disk
        let dynamo = try DynamoService(
            directory: "\(configuration.dataDirectory)/dynamodb", logger: logger, flushEveryCommit: diskDurability)
        let credentials = [SigV4Credentials(accessKeyID: workers.accessKeyID, secretAccessKey: workers.secretAccessKey)]
        let verifier = SigV4Verifier(credentials: credentials, strict: configuration.strictSignatures)
        let s3 = try S3Service(
            directory: "\(configuration.dataDirectory)/s3", logger: logger,
            presignVerifier: SigV4PresignVerifier(credentials: credentials, strict: configuration.strictSignatures),
            configuration: S3Configuration(durableWrites: diskDurability))
        for table in stack.tables { try dynamo.provision(table) }
        for bucket in stack.buckets { try s3.provision(bucket) }
        storageServices = [TimeToLiveService(dynamo: dynamo, logger: logger), s3.lifecycleService(interval: .seconds(60))]

        let awsRouter = Router(context: GatewayRequestContext.self)
        let signatures = SignatureCheck(verifier: verifier)
        awsRouter.add(middleware: AWSServiceMiddleware(
            s3: { request, context in try await s3.respond(to: request, context: context) }, signatures: signatures))
        invoke.addRoutes(to: awsRouter)
        functions.addRoutes(to: awsRouter)
        let dynamoService: AWSJSONProtocolHandler.Service = { target, body, reply in
            dynamo.handle(target: target, body: body) { reply(.init(status: $0.status, headers: $0.headers, body: $0.body)) }
        }
        let jsonServices = ["DynamoDB_20120810": dynamoService, "DynamoDBStreams_20120810": dynamoService]
        awsEndpoint = Application(
            router: awsRouter,
            // Requests the HTTP parser refuses get an AWS-shaped error. Clients wait (botocore up to a
            // second) for `100 Continue` before sending a body that they announced with `Expect`,
            // JSON or S3; large reads make uploads cheaper to receive.
            server: HTTPServerBuilder { responder in
                AWSEndpointChannel(
                    http1: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [UploadReadSize(maximum: 1 << 20)])),
                    parserSideHandlers: {
                        [
                            UnparsableRequestHandler(s3Answer: {
                                let (status, requestID, body) = s3.unparsableRequestAnswer()
                                let headers = [("Content-Type", "application/xml"), ("x-amz-request-id", requestID), ("x-amz-id-2", requestID)]
                                return .init(status: status, headers: headers, body: body)
                            }),
                            ExpectContinueHandler(),
                            AWSJSONProtocolHandler(services: jsonServices, signatures: signatures),
                        ]
                    })
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.awsPort), serverName: "Nimbus"),
            onServerRunning: { listening.setAWS($0.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until cancelled or, with `handleSignals`, until SIGINT/SIGTERM; then drains.
    public func run(handleSignals: Bool = true) async throws {
        let pools = StartAfter(service: self.pools, ready: listening)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: pools)] + storageServices.map { .init(service: $0) }
                    + [.init(service: awsEndpoint), .init(service: gateway)],
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        try await group.run()
    }

    /// The bound ports, once both servers listen.
    public func waitUntilListening() async -> (gateway: Int, aws: Int) {
        await listening.wait()
    }
}

/// The ports the servers bound, published when both are known.
final class ListeningPorts: Sendable {
    private struct State {
        var gateway: Int?
        var aws: Int?
        var waiters: [CheckedContinuation<(gateway: Int, aws: Int), Never>] = []
    }

    private let state = Mutex(State())

    var aws: Int? { state.withLock { $0.aws } }

    func setGateway(_ port: Int) { update { $0.gateway = port } }
    func setAWS(_ port: Int) { update { $0.aws = port } }

    func wait() async -> (gateway: Int, aws: Int) {
        await withCheckedContinuation { continuation in
            let ports: (Int, Int)? = state.withLock { state in
                if let gateway = state.gateway, let aws = state.aws { return (gateway, aws) }
                state.waiters.append(continuation)
                return nil
            }
            if let ports { continuation.resume(returning: ports) }
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let (waiters, ports): ([CheckedContinuation<(gateway: Int, aws: Int), Never>], (Int, Int)?) = state.withLock { state in
            change(&state)
            guard let gateway = state.gateway, let aws = state.aws else { return ([], nil) }
            defer { state.waiters = [] }
            return (state.waiters, (gateway, aws))
        }
        if let ports { for waiter in waiters { waiter.resume(returning: ports) } }
    }
}

/// Starts a service only once the servers listen, so workers get the real endpoint URLs.
struct StartAfter<Wrapped: Service>: Service {
    let service: Wrapped
    let ready: ListeningPorts

    func run() async throws {
        _ = await ready.wait()
        try await service.run()
    }
}
