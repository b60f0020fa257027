import Foundation
import Logging
import NimbusCore
import Synchronization
import Testing

@testable import NimbusWorkers

/// The python zygote: when workers fork from it, its command line, and a real zygote forking a
/// worker that gets its own environment and log pipe and whose exit status comes back.
@Suite struct ZygoteTests {
    static func function(codePath: String = "/srv/app/functions/iso", handler: String = "app.handler") -> FunctionConfiguration {
        FunctionConfiguration(
            name: FunctionName("lambda-zygote")!, logicalID: "Zygote", runtime: "python3.11", handler: handler,
            codePath: codePath, memorySize: 256, ephemeralStorage: 512, layers: [])
    }

    static func launcher(_ configure: (inout WorkersConfiguration) -> Void = { _ in }) -> RuntimeLauncher {
        var configuration = WorkersConfiguration()
        configure(&configuration)
        var launcher = RuntimeLauncher(
            configuration: configuration, bootstrapDirectory: WorkerPools.bundledBootstrapDirectory, isolation: .process(limits: .rlimits))
        // Tests host the zygote's task in an unstructured Task: no pools' supervisor here.
        launcher.zygotes = Zygotes(logger: Logger(label: "zygote-test"), host: { job in Task { await job() } })
        return launcher
    }

    @Test("Only python functions on the built-in bootstrap fork, and only while the zygote is on")
    func whoForks() {
        #expect(Self.launcher().forksWorkers(of: Self.function()))
        #expect(!Self.launcher { $0.zygote = false }.forksWorkers(of: Self.function()))
        #expect(!Self.launcher { $0.pythonBootstrap = .awslambdaric }.forksWorkers(of: Self.function()))
        var node = Self.function()
        node.runtime = "nodejs20.x"
        #expect(!Self.launcher().forksWorkers(of: node))
        var plain = Self.launcher()
        plain.zygotes = nil
        #expect(!plain.forksWorkers(of: Self.function()))
    }

    @Test("The zygote starts like a worker, with zygote.py for the bootstrap; without cgroups it clears orphans")
    func zygoteCommand() throws {
        let spec = try Self.launcher { $0.pythonExecutable = "/bin/sh" }.zygoteSpec(for: Self.function())
        #expect(spec.arguments.suffix(3) == ["/bin/sh", "\(WorkerPools.bundledBootstrapDirectory)/python/zygote.py", "--kill-orphans"])
        #expect(spec.environment["AWS_LAMBDA_RUNTIME_API"] == "zygote")
        #expect(spec.environment["_HANDLER"] == "app.handler")
        #expect(spec.executable == "/bin/sh")  // the rlimits wrapper, as for a worker
    }

    @Test("A forked worker gets its own environment and log pipe; its exit status comes back")
    func forkedWorker() async throws {
        let code = FileManager.default.temporaryDirectory.appendingPathComponent("zygote-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: code, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: code) }
        try "import os\nprint('init in', os.environ['AWS_LAMBDA_LOG_STREAM_NAME'], flush=True)\nos._exit(5)\n"
            .write(toFile: "\(code)/app.py", atomically: true, encoding: .utf8)
        let function = Self.function(codePath: code)
        let launcher = Self.launcher()
        let zygotes = try #require(launcher.zygotes)
        defer { zygotes.stopAll() }
        #expect(launcher.readyZygote(for: function) == nil, "the first need starts it")
        var zygote: Zygote?
        for _ in 0..<200 where zygote == nil {
            try await Task.sleep(for: .milliseconds(50))
            zygote = launcher.readyZygote(for: function)
        }
        let ready = try #require(zygote)

        var spec = try launcher.launchSpec(for: function, worker: WorkerID(7), runtimeAPI: "127.0.0.1:1")
        spec.environment["AWS_LAMBDA_LOG_STREAM_NAME"] = "stream-of-w7"
        let lines = Mutex<[String]>([])
        let process = WorkerProcess()
        let exit = await process.runForked(spec, zygote: ready, worker: WorkerID(7), cgroupFiles: [], onLine: { line in
            lines.withLock { $0.append(line) }
        })
        #expect(exit == .exited(5))
        #expect(process.pid != ready.pid)
        for _ in 0..<100 where !lines.withLock({ $0.contains("init in stream-of-w7") }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(lines.withLock { $0 }.contains("init in stream-of-w7"))
        #expect(ready.isReady, "the zygote outlives its workers")
    }
}
