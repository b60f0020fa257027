import Foundation
import NimbusCore

/// Builds the command and environment that start a worker for a function, as AWS's
/// execution environment would set them (DESIGN.md §3).
struct RuntimeLauncher: Sendable {
    let configuration: WorkersConfiguration
    /// Folder holding the runtime bootstraps (`python/bootstrap.py`).
    let bootstrapDirectory: String

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    func launchSpec(for function: FunctionConfiguration, worker: WorkerID, runtimeAPI: String) throws -> WorkerProcess.LaunchSpec {
        guard let family = function.runtimeFamily else {
            throw LaunchError(description: "Runtime \(function.runtime) is not supported by Nimbus")
        }
        var environment = awsEnvironment(for: function, worker: worker, runtimeAPI: runtimeAPI)
        let command: [String]
        switch family {
        case .python:
            environment["PYTHONPATH"] = pythonPath(for: function)
            environment["PYTHONUNBUFFERED"] = "1"
            environment["PYTHONDONTWRITEBYTECODE"] = "1"
            switch configuration.pythonBootstrap {
            case .builtin:
                command = [configuration.pythonExecutable, "\(bootstrapDirectory)/python/bootstrap.py"]
            case .awslambdaric:
                command = [configuration.pythonExecutable, "-m", "awslambdaric", function.handler]
            }
        case .java, .node:
            throw LaunchError(description: "Runtime \(function.runtime) is not supported yet (python only)")
        }
        for (key, value) in configuration.extraEnvironment { environment[key] = value }
        for (key, value) in function.environment { environment[key] = value }
        return WorkerProcess.LaunchSpec(
            executable: try Self.resolve(command[0], path: environment["PATH"] ?? ""),
            arguments: Array(command.dropFirst()),
            environment: environment,
            workingDirectory: function.codePath
        )
    }

    private func awsEnvironment(for function: FunctionConfiguration, worker: WorkerID, runtimeAPI: String) -> [String: String] {
        let host = ProcessInfo.processInfo.environment
        let stream = "\(Self.streamDate())/[$LATEST]\(worker)"
        var environment: [String: String] = [
            "PATH": host["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "HOME": host["HOME"] ?? "/tmp",
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
            "LAMBDA_TASK_ROOT": function.codePath,
            "LAMBDA_RUNTIME_DIR": bootstrapDirectory,
        ]
        if let endpoint = configuration.awsEndpointProvider() {
            for key in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] {
                environment[key] = endpoint
            }
        }
        return environment
    }

    /// As on AWS: the code first, then each layer's `python` and its site-packages.
    private func pythonPath(for function: FunctionConfiguration) -> String {
        var entries = [function.codePath]
        for layer in function.layers {
            entries.append("\(layer)/python")
            let lib = "\(layer)/python/lib"
            if let versions = try? FileManager.default.contentsOfDirectory(atPath: lib) {
                entries += versions.sorted().map { "\(lib)/\($0)/site-packages" }
            }
            entries.append(layer)
        }
        return entries.joined(separator: ":")
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
