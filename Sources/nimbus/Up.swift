import ArgumentParser
import Foundation
import Logging
import NimbusCore
import NimbusPlatform
import NimbusTemplate
import NimbusWorkers

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the whole stack for a SAM template and serve it until SIGINT/SIGTERM.")

    @Argument(help: "The SAM template.")
    var template: String = "template.yaml"

    @Option(help: "Gateway port (API routes, auth, Invoke API); 0 picks a free port.")
    var port: Int = 3000

    @Option(help: "AWS endpoint port (S3, DynamoDB, Lambda); 0 picks a free port.")
    var awsPort: Int = 4566

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Where data persists.")
    var dataDir: String = ".nimbus"

    @Flag(help: "Serve API routes without bearer tokens.")
    var noAuth = false

    @Option(help: "API key for /user/auth/v1 (else $X_API_KEY, else stored or generated).")
    var apiKey: String?

    @Option(help: "Gateway user (else $AUTH_USER, else stored or generated).")
    var user: String?

    @Option(help: "Gateway password (else $AUTH_PASS, else stored or generated).")
    var password: String?

    @Option(help: "Seconds id and access tokens stay valid.")
    var tokenLifetime: Int = 3600

    @Option(help: "Python bootstrap: builtin or awslambdaric (the official AWS runtime client).")
    var pythonBootstrap: String = "builtin"

    @Option(help: "Worker isolation: auto (sandbox when bubblewrap works here, else process), sandbox or process.")
    var isolation: String = "auto"

    @Option(help: "What an acknowledged S3/DynamoDB write survives: disk (flushed first: power cuts too) or process (a crash or kill -9 of Nimbus; faster).")
    var durability: String = "disk"

    @Option(help: "Fork python workers from a per-function zygote (a started interpreter with the bootstrap loaded): on or off.")
    var zygote: String = "on"

    @Option(help: "Seconds an idle worker above the provisioned minimum lives.")
    var idleTimeout: Double = 300

    @Option(help: "Seconds a request may wait for a worker before 503/429.")
    var acquireTimeout: Double = 10

    @Option(help: "Workers per function when ReservedConcurrentExecutions is not set.")
    var maxWorkers: Int = 10

    @Option(help: "Consecutive crashes, timeouts or init failures that open a function's circuit breaker.")
    var breakerThreshold: Int = 3

    @Option(help: "Seconds an open circuit breaker fails fast before letting one trial call through.")
    var breakerRecovery: Double = 10

    @Option(help: "Seconds before each retry of an async (Event) invocation after a function error (AWS: 60, then 120).")
    var asyncRetryDelay: Double?

    @Option(help: "Access key workers and clients sign with (default test).")
    var awsAccessKey: String = "test"

    @Option(help: "Secret key workers and clients sign with (default test).")
    var awsSecretKey: String = "test"

    @Flag(help: "Reject AWS requests whose SigV4 signature does not match the configured keys.")
    var strictSignatures = false

    @Option(help: "Template parameter overrides, Key=Value.")
    var parameter: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        LoggingSystem.bootstrap { ConsoleLogHandler(label: $0) }
        var logger = Logger(label: "nimbus")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let stack = try loadStack()

        var configuration = PlatformConfiguration()
        configuration.host = host
        configuration.gatewayPort = port
        configuration.awsPort = awsPort
        configuration.dataDirectory = dataDir
        let environment = ProcessInfo.processInfo.environment
        let (credentials, generated) = try StackCredentials.resolve(
            apiKey: apiKey ?? environment["X_API_KEY"], username: user ?? environment["AUTH_USER"],
            password: password ?? environment["AUTH_PASS"], dataDirectory: dataDir)
        configuration.gateway.authEnabled = !noAuth
        configuration.gateway.tokenLifetime = .seconds(tokenLifetime)
        configuration.gateway.apiKey = credentials.apiKey
        configuration.gateway.username = credentials.username
        configuration.gateway.password = credentials.password
        guard let bootstrap = WorkersConfiguration.PythonBootstrap(rawValue: pythonBootstrap) else {
            throw ValidationError("--python-bootstrap must be builtin or awslambdaric")
        }
        configuration.workers.pythonBootstrap = bootstrap
        guard let isolationMode = WorkersConfiguration.Isolation(rawValue: isolation) else {
            throw ValidationError("--isolation must be auto, sandbox or process")
        }
        configuration.workers.isolation = isolationMode
        guard let durabilityLevel = Durability(rawValue: durability) else {
            throw ValidationError("--durability must be disk or process")
        }
        configuration.durability = durabilityLevel
        guard zygote == "on" || zygote == "off" else { throw ValidationError("--zygote must be on or off") }
        configuration.workers.zygote = zygote == "on"
        do { try IsolationProbe.validate(configuration.workers) } catch { throw ValidationError(error.description) }
        configuration.workers.defaultPool.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.workers.defaultPool.acquireTimeout = .milliseconds(Int64(acquireTimeout * 1000))
        configuration.workers.defaultPool.maxCapacity = maxWorkers
        configuration.workers.accessKeyID = awsAccessKey
        configuration.workers.secretAccessKey = awsSecretKey
        configuration.strictSignatures = strictSignatures
        if let asyncRetryDelay {
            guard asyncRetryDelay >= 0 else { throw ValidationError("--async-retry-delay must be 0 or more seconds") }
            let delay = Duration.milliseconds(Int64(asyncRetryDelay * 1000))
            configuration.workers.asyncRetryDelays = [delay, delay]
        }
        configuration.workers.breaker = CircuitBreakerConfiguration(
            failureThreshold: breakerThreshold, recoveryWindow: .milliseconds(Int64(breakerRecovery * 1000)))

        for warning in RuntimeCompatibility.warnings(for: stack.functions, configuration: configuration.workers) {
            print("warning: \(warning)")
        }
        let platform = try Platform(stack: stack, configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await platform.run() }
            let ports = await platform.waitUntilListening()
            printBanner(stack: stack, ports: ports, credentials: credentials, generated: generated, workers: configuration.workers)
            // stdout may be a file (CI logs): show what is in force now, not at exit (nil flushes every stream).
            fflush(nil)
            try await group.waitForAll()
        }
    }

    static func coldStartSummary(_ workers: WorkersConfiguration) -> String {
        guard workers.zygote else { return "zygote off (every worker starts its own interpreter)" }
        guard workers.pythonBootstrap == .builtin else { return "zygote off for python (awslambdaric starts its own interpreter)" }
        return "zygote on (python workers fork from a per-function template process)"
    }

    private func loadStack() throws -> StackDefinition {
        let overrides = Dictionary(parameter.compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { $1 })
        do {
            let stack = try TemplateLoader(parameterOverrides: overrides).load(fileAt: template)
            for warning in stack.warnings { print("warning: \(warning)") }
            return stack
        } catch {
            throw ValidationError(error.description)
        }
    }

    private func printBanner(
        stack: StackDefinition, ports: (gateway: Int, aws: Int), credentials: StackCredentials, generated: Bool, workers: WorkersConfiguration
    ) {
        var lines = [
            "Nimbus is up.",
            "  Gateway:      http://\(host):\(ports.gateway)",
            "  AWS endpoint: http://\(host):\(ports.aws)   (AWS_ENDPOINT_URL for boto3 / the AWS CLI)",
        ]
        if noAuth {
            lines.append("  Auth:         disabled (--no-auth)")
        } else {
            lines.append("  Auth:         POST /user/auth/v1 with x-api-key: \(credentials.apiKey), user \(credentials.username) / \(credentials.password)\(generated ? "  (generated, stored in \(dataDir)/credentials.json)" : "")")
        }
        lines.append("  Storage:      \(dataDir), writes acknowledged \(durability == "disk" ? "once on disk" : "once handed to the OS (--durability process: a power cut may lose the last seconds)")")
        lines.append("  Workers:      \(IsolationProbe.describe(workers))")
        lines.append("  Cold starts:  \(Self.coldStartSummary(workers))")
        lines.append("Functions:")
        for function in stack.functions {
            lines.append("  \(function.name)  \(function.runtime)  \(function.handler)  \(function.memorySize) MB  \(function.timeout) s")
        }
        lines.append("Routes:")
        for route in stack.routes {
            lines.append("  \(route.method ?? "ANY") \(route.path) → \(route.function) (\(route.api == .rest ? "REST v1" : "HTTP v2"))")
        }
        print(lines.joined(separator: "\n"))
    }
}
