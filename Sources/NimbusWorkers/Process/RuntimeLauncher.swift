import Foundation
import NimbusCore

/// Builds the command and environment that start a worker for a function, as AWS's
/// execution environment would set them (DESIGN.md §3), inside the isolation and limits in
/// force: `[sh wrapper joining cgroups / setting rlimits] → [bwrap sandbox] → runtime`.
struct RuntimeLauncher: Sendable {
    let configuration: WorkersConfiguration
    /// Folder holding the runtime bootstraps (`python/bootstrap.py`).
    let bootstrapDirectory: String
    /// What isolation and limits are in force (probed once per process unless given).
    let isolation: IsolationPlan
    /// Where worker cgroups go when a cgroup is in force.
    let cgroups: CgroupTree?
    /// The functions' zygotes, when workers are forked from them (`configuration.zygote`).
    var zygotes: Zygotes?

    init(configuration: WorkersConfiguration, bootstrapDirectory: String, isolation: IsolationPlan? = nil) {
        self.configuration = configuration
        self.bootstrapDirectory = bootstrapDirectory
        self.isolation = isolation ?? IsolationProbe.plan(for: configuration)
        if case .cgroup(let host) = self.isolation.limits { cgroups = CgroupTree(host: host) } else { cgroups = nil }
    }

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether the function's workers are forked from a zygote: python with the built-in
    /// bootstrap (awslambdaric keeps the direct path), when the zygote is switched on.
    func forksWorkers(of function: FunctionConfiguration) -> Bool {
        zygotes != nil && configuration.zygote && function.runtimeFamily == .python && configuration.pythonBootstrap == .builtin
    }

    /// The function's zygote when workers are forked and it is ready; starts it when it is not.
    func readyZygote(for function: FunctionConfiguration) -> Zygote? {
        guard forksWorkers(of: function) else { return nil }
        return zygotes?.ready(for: function, launcher: self)
    }

    /// The command that starts the function's zygote: a worker's, with `zygote.py` for the
    /// bootstrap and no worker cgroup (each forked worker joins its own).
    func zygoteSpec(for function: FunctionConfiguration) throws -> WorkerProcess.LaunchSpec {
        try launchSpec(for: function, worker: WorkerID(0), runtimeAPI: "zygote", zygote: true)
    }

    /// - Parameter cgroup: the worker's cgroup, joined before the runtime starts.
    func launchSpec(
        for function: FunctionConfiguration, worker: WorkerID, runtimeAPI: String, cgroup: WorkerCgroup? = nil, zygote: Bool = false
    ) throws -> WorkerProcess.LaunchSpec {
        guard let family = function.runtimeFamily else {
            throw LaunchError(description: "Runtime \(function.runtime) is not supported by Nimbus")
        }
        if let problem = isolation.sandboxProblem { throw LaunchError(description: "isolation sandbox: \(problem)") }
        let sandboxed = isolation.sandbox != nil
        var environment = awsEnvironment(for: function, worker: worker, runtimeAPI: runtimeAPI)
        let runtimeDirectory = sandboxed ? SandboxCommand.runtimeRoot : bootstrapDirectory
        var command: [String]
        switch family {
        case .python:
            let python = try pythonExecutable(environment: &environment)
            environment["PYTHONPATH"] = pythonPath(for: function, sandboxed: sandboxed)
            environment["PYTHONUNBUFFERED"] = "1"
            environment["PYTHONDONTWRITEBYTECODE"] = "1"
            switch configuration.pythonBootstrap {
            case .builtin where zygote:
                // Without cgroups, only the zygote can find what a worker left outside its group.
                command = [python, "\(runtimeDirectory)/python/zygote.py"] + (cgroups == nil ? ["--kill-orphans"] : [])
            case .builtin:
                command = [python, "\(runtimeDirectory)/python/bootstrap.py"]
            case .awslambdaric:
                command = [python, "-m", "awslambdaric", function.handler]
            }
        case .java, .node:
            throw LaunchError(description: "Runtime \(function.runtime) is not supported yet (python only)")
        }
        for (key, value) in configuration.extraEnvironment { environment[key] = value }
        for (key, value) in function.environment { environment[key] = value }
        if let bubblewrap = isolation.sandbox {
            command = sandboxCommand(bubblewrap, for: function).arguments(running: command)
        }
        var wrapper = LaunchWrapper(cgroupProcessFiles: cgroup?.processFiles ?? [])
        if isolation.limits == .rlimits { wrapper.dataLimitBytes = ResourceLimits.dataLimitBytes(memoryMiB: function.memorySize) }
        command = wrapper.arguments(running: command)
        return WorkerProcess.LaunchSpec(
            executable: command[0],
            arguments: Array(command.dropFirst()),
            environment: environment,
            workingDirectory: function.codePath,
            sandboxed: sandboxed
        )
    }

    /// The interpreter, resolved on the host: in a sandbox the real one behind any shim, with
    /// PATH and the user site adjusted to what the sandbox shows.
    private func pythonExecutable(environment: inout [String: String]) throws -> String {
        guard isolation.sandbox != nil else { return try Self.resolve(configuration.pythonExecutable, path: environment["PATH"] ?? "") }
        guard let python = isolation.python else { throw LaunchError(description: "\(configuration.pythonExecutable) not found on PATH") }
        let binDirectory = (python.executable as NSString).deletingLastPathComponent
        environment["PATH"] = "\(binDirectory):/usr/local/bin:/usr/bin:/bin:/opt/bin"
        if let userBase = python.userBase, python.userSite != nil { environment["PYTHONUSERBASE"] = userBase }
        return python.executable
    }

    private func sandboxCommand(_ bubblewrap: Bubblewrap, for function: FunctionConfiguration) -> SandboxCommand {
        let python = isolation.python
        return SandboxCommand(
            bubblewrap: bubblewrap.path, codePath: function.codePath,
            layers: LayerMounts.binds(layers: function.layers, at: SandboxCommand.layerRoot),
            bootstrapDirectory: bootstrapDirectory, system: SandboxSystem.host(),
            extraRoots: (python?.roots ?? []) + (python?.userSite.map { [$0] } ?? []),
            tmpBytes: function.ephemeralStorage * CgroupLimits.mebibyte)
    }

    private func awsEnvironment(for function: FunctionConfiguration, worker: WorkerID, runtimeAPI: String) -> [String: String] {
        let host = ProcessInfo.processInfo.environment
        let sandboxed = isolation.sandbox != nil
        let stream = "\(Self.streamDate())/[$LATEST]\(worker)"
        var environment: [String: String] = [
            "PATH": host["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            // In a sandbox the host's home is not there; /tmp is the one writable folder.
            "HOME": sandboxed ? "/tmp" : host["HOME"] ?? "/tmp",
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI,
            "AWS_LAMBDA_FUNCTION_NAME": function.name.rawValue,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memorySize),
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/\(function.name)",
            "AWS_LAMBDA_LOG_STREAM_NAME": stream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": function.provisionedConcurrency != nil ? "provisioned-concurrency" : "on-demand",
            "AWS_EXECUTION_ENV": "AWS_Lambda_\(function.runtime)",
            "AWS_REGION": configuration.region,
            "AWS_DEFAULT_REGION": configuration.region,
            "AWS_ACCESS_KEY_ID": configuration.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": configuration.secretAccessKey,
            "AWS_SESSION_TOKEN": "nimbus",
            "_HANDLER": function.handler,
            "LAMBDA_TASK_ROOT": sandboxed ? SandboxCommand.taskRoot : function.codePath,
            "LAMBDA_RUNTIME_DIR": sandboxed ? SandboxCommand.runtimeRoot : bootstrapDirectory,
        ]
        if let endpoint = configuration.awsEndpointProvider() {
            for key in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] {
                environment[key] = endpoint
            }
        }
        return environment
    }

    /// As on AWS: the code first, then each layer's `python` and its site-packages, then the
    /// layer itself; in a sandbox the code is at /var/task and every layer merged at /opt.
    func pythonPath(for function: FunctionConfiguration, sandboxed: Bool) -> String {
        var entries = [sandboxed ? SandboxCommand.taskRoot : function.codePath]
        for layer in function.layers {
            let visible = sandboxed ? SandboxCommand.layerRoot : layer
            entries.append("\(visible)/python")
            if let versions = try? FileManager.default.contentsOfDirectory(atPath: "\(layer)/python/lib") {
                entries += versions.sorted().map { "\(visible)/python/lib/\($0)/site-packages" }
            }
            entries.append(visible)
        }
        var seen = Set<String>()
        return entries.filter { seen.insert($0).inserted }.joined(separator: ":")
    }

    static func resolve(_ command: String, path: String) throws -> String {
        if command.contains("/") { return command }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LaunchError(description: "\(command) not found on PATH")
    }

    private static func streamDate() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy/MM/dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
