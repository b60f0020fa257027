import Foundation
import Logging
import NimbusCore
import Synchronization

/// One execution environment: a runtime process plus its Runtime API, serving one
/// invocation at a time and reused while it stays healthy.
final class Worker: Sendable {
    let id: WorkerID
    let function: FunctionConfiguration
    let startedAt = Date()
    private let channel = RuntimeChannel()
    private let process = WorkerProcess()
    private let served = Atomic<Int>(0)
    private let functionARN: String
    private let sink: any LogSink
    /// The worker's cgroup while one is in force and the worker lives.
    private let cgroup = Mutex<WorkerCgroup?>(nil)
    /// The cgroup's peak memory, kept for the last REPORT once the cgroup is gone.
    private let peakAtExit = Mutex<Int?>(nil)

    init(id: WorkerID, function: FunctionConfiguration, functionARN: String, sink: any LogSink) {
        self.id = id
        self.function = function
        self.functionARN = functionARN
        self.sink = sink
    }

    var pid: Int32? { process.pid }
    var invocationsServed: Int { served.load(ordering: .relaxed) }

    /// Memory in use: the cgroup's usage when one is in force, else the resident set of the
    /// worker's process tree.
    var memoryCurrentBytes: Int? {
        cgroup.withLock { $0 }?.memoryCurrentBytes ?? pid.flatMap(ProcessMemory.treeResidentBytes)
    }

    /// CPU time used so far, from the cgroup when one is in force, else /proc.
    var cpuUsageNanoseconds: Int? {
        cgroup.withLock { $0 }?.cpuNanoseconds ?? pid.flatMap(ProcessMemory.treeCPUNanoseconds)
    }

    /// The most memory the worker has used (the cgroup's peak), else what it uses now.
    var memoryPeakBytes: Int? {
        cgroup.withLock { $0 }?.memoryPeakBytes ?? peakAtExit.withLock { $0 } ?? memoryCurrentBytes
    }

    /// Runs the Runtime API and the process until the process ends; returns how it ended.
    func run(launcher: RuntimeLauncher, logger: Logger) async -> WorkerProcess.Exit {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let began = ContinuousClock.now
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await RuntimeAPIServer(channel: self.channel, logger: logger).run { portContinuation.yield($0) }
                } catch {
                    logger.error("runtime API failed", metadata: ["worker.id": "\(self.id)", "error": "\(error)"])
                }
                portContinuation.finish()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                channel.close(reason: "runtime API did not start")
                group.cancelAll()
                return .launchFailed("runtime API did not start")
            }
            logger.debug("runtime API listening", metadata: ["worker.id": "\(id)", "port": "\(port)", "elapsed": "\(ContinuousClock.now - began)"])
            let exit: WorkerProcess.Exit
            var outOfMemory = false
            var created: WorkerCgroup?
            do {
                // A zygote's spare has joined its cgroups already: the worker adopts them.
                let zygote = launcher.readyZygote(for: function)
                let spare = zygote?.takeSpare()
                created = try spare.map(\.cgroup) ?? launcher.cgroups?.makeWorker(
                    id, memoryMiB: function.memorySize, pidsLimit: launcher.configuration.workerPidsLimit)
                self.cgroup.withLock { $0 = created }
                let spec = try launcher.launchSpec(for: function, worker: id, runtimeAPI: "127.0.0.1:\(port)", cgroup: created)
                let watchdogKilled: Bool
                (exit, watchdogKilled) = await runProcess(
                    spec, launcher: launcher, zygote: zygote.map { ($0, spare) }, cgroup: created,
                    watchMemory: launcher.isolation.limits == .rlimits, logger: logger)
                var evidence = created?.memoryEvidence ?? OutOfMemory.Evidence()
                evidence.watchdogKilled = watchdogKilled
                outOfMemory = OutOfMemory.classify(exit, evidence: evidence)
            } catch {
                exit = .launchFailed("\(error)")
            }
            if let created {
                peakAtExit.withLock { $0 = created.memoryPeakBytes }
                cgroup.withLock { $0 = nil }
                await launcher.cgroups?.release(created)
            }
            if outOfMemory {
                logger.warning("worker ran out of memory", metadata: ["worker.id": "\(id)", "function.name": "\(function.name)", "memory.limit.mb": "\(function.memorySize)"])
            }
            channel.close(reason: outOfMemory ? OutOfMemory.closeReason : exit.description)
            group.cancelAll()
            return exit
        }
    }

    /// Runs the process, with the /proc memory watchdog beside it when rlimits stand in for a
    /// cgroup; returns how it ended and whether the watchdog killed it.
    private func runProcess(
        _ spec: WorkerProcess.LaunchSpec, launcher: RuntimeLauncher, zygote: (Zygote, Zygote.Spare?)?, cgroup: WorkerCgroup?,
        watchMemory: Bool, logger: Logger
    ) async -> (WorkerProcess.Exit, Bool) {
        await withTaskGroup(of: Bool.self) { group in
            if watchMemory {
                let limit = function.memorySize * CgroupLimits.mebibyte
                group.addTask { await MemoryWatchdog.watch(limitBytes: limit, pid: { self.pid }, kill: { self.process.killGroup() }) }
            }
            let exit = await startProcess(spec, zygote: zygote, cgroup: cgroup, logger: logger)
            group.cancelAll()
            var killed = false
            for await result in group where result { killed = true }
            return (exit, killed)
        }
    }

    /// Forks the worker from its function's zygote when one is ready (becoming its spare when it
    /// has one), else starts it directly (`sh` wrapper → sandbox → interpreter → bootstrap); runs
    /// it until it ends.
    private func startProcess(
        _ spec: WorkerProcess.LaunchSpec, zygote: (Zygote, Zygote.Spare?)?, cgroup: WorkerCgroup?, logger: Logger
    ) async -> WorkerProcess.Exit {
        let began = ContinuousClock.now
        let onLine: @Sendable (String) -> Void = { [self] line in self.record(line) }
        if let (zygote, spare) = zygote,
            let exit = await process.runForked(
                spec, zygote: zygote, worker: id, cgroupFiles: spare == nil ? cgroup?.processFiles ?? [] : [], spare: spare,
                onLine: onLine,
                onStart: { logger.debug("worker forked", metadata: ["worker.id": "\(self.id)", "elapsed": "\(ContinuousClock.now - began)"]) })
        {
            return exit
        }
        logger.debug("worker spawned directly", metadata: ["worker.id": "\(id)", "function.name": "\(function.name)"])
        return await process.run(spec, onStart: { _ in }, onLine: onLine)
    }

    /// Waits for the runtime to finish initialising, at most `timeout`.
    func waitUntilReady(timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.channel.waitUntilReady() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RuntimeInitFailure.timedOut
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Runs one invocation. `reusable` is false when the worker must be replaced.
    func invoke(_ request: InvocationRequest) async -> (result: InvocationResult, reusable: Bool) {
        let clock = ContinuousClock()
        let started = clock.now
        let timeout = Duration.milliseconds(Int64(function.timeout * 1000))
        let pending = PendingInvocation(
            request: request, deadline: Date().addingTimeInterval(function.timeout), functionARN: functionARN)
        platformLine("START RequestId: \(request.requestID) Version: $LATEST", request: request.requestID)
        let completion = await channel.submit(pending, deadline: started.advanced(by: timeout))
        let duration = started.duration(to: clock.now)
        served.add(1, ordering: .relaxed)
        await waitForPendingOutput()
        var lines = channel.takeLogLines()
        let id = request.requestID
        // An OOM-killed worker used all its memory; its cgroup may already be gone.
        var memoryUsedAtEnd: Int?
        let (result, reusable): (InvocationResult, Bool)
        switch completion {
        case .response(let payload):
            (result, reusable) = (InvocationResult(requestID: id, outcome: .success, payload: payload), true)
        case .error(let type, let payload):
            (result, reusable) = (InvocationResult(requestID: id, outcome: .functionError(type: type), payload: payload), true)
        case .timedOut:
            killAll()
            let seconds = String(format: "%.2f", function.timeout)
            let message = "\(Self.timestamp()) \(id) Task timed out after \(seconds) seconds"
            platformLine(message, request: id)
            lines.append(message)
            (result, reusable) = (
                .error(requestID: id, type: "Sandbox.Timedout", message: "RequestId: \(id) Error: Task timed out after \(seconds) seconds"),
                false
            )
        case .exited(let reason):
            killAll()
            let (outOfMemory, description) = OutOfMemory.parse(reason)
            let message = "RequestId: \(id) Error: Runtime exited with error: \(description)"
            if outOfMemory {
                for line in [message, OutOfMemory.errorType] {
                    platformLine(line, request: id)
                    lines.append(line)
                }
            }
            (result, reusable) = (
                .error(requestID: id, type: outOfMemory ? OutOfMemory.errorType : "Runtime.ExitError", message: message),
                false
            )
            memoryUsedAtEnd = outOfMemory ? function.memorySize : nil
        }
        let report = reportLines(id: id, duration: duration, memoryUsedMegabytes: memoryUsedAtEnd)
        sink.record(contentsOf: report.map { platformRecord($0, request: id) })
        var final = result
        final.logLines = lines + report
        final.duration = duration
        return (final, reusable)
    }

    /// Times out the running invocation once past its deadline. The pool calls this on its
    /// housekeeping tick: a timer per invocation would cost more than the invocation.
    func enforceTimeout(now: ContinuousClock.Instant) {
        channel.timeOutIfOverdue(now: now)
    }

    /// Stops the process group; `run` then returns.
    func stop() {
        killAll()
        channel.close(reason: "stopped")
    }

    /// Kills the process group, and every process of the worker's cgroup that left the group.
    private func killAll() {
        process.killGroup()
        cgroup.withLock { $0 }?.killAll()
    }

    /// The init failure as the invocation error AWS reports for it.
    static func initErrorResult(_ error: any Error, requestID: InvocationID, timeout: Duration) -> InvocationResult {
        switch error as? RuntimeInitFailure {
        case .initError(let type, let payload)?:
            return InvocationResult(requestID: requestID, outcome: .functionError(type: type), payload: payload)
        case .exited(let reason)?:
            let (outOfMemory, description) = OutOfMemory.parse(reason)
            return .error(
                requestID: requestID, type: outOfMemory ? OutOfMemory.errorType : "Runtime.ExitError",
                message: "RequestId: \(requestID) Error: Runtime exited with error: \(description)")
        case .timedOut?:
            return .error(requestID: requestID, type: "Sandbox.Timedout", message: "RequestId: \(requestID) Error: Init timed out after \(timeout)")
        case nil:
            return .error(requestID: requestID, type: "Runtime.Unknown", message: "\(error)")
        }
    }

    private func reportLines(id: InvocationID, duration: Duration, memoryUsedMegabytes: Int?) -> [String] {
        let memoryUsed = memoryUsedMegabytes ?? (memoryPeakBytes ?? 0) / CgroupLimits.mebibyte
        // Duration to the hundredth of a millisecond; billed in whole milliseconds rounded up.
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        let billed = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return [
            "END RequestId: \(id)",
            "REPORT RequestId: \(id)\tDuration: \(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) ms\tBilled Duration: \(billed) ms\tMemory Size: \(function.memorySize) MB\tMax Memory Used: \(memoryUsed) MB",
        ]
    }

    /// Output written just before the answer may still sit in the pipe: give the reader a moment.
    private func waitForPendingOutput() async {
        for _ in 0..<20 {
            guard process.hasUnreadOutput else { return }
            try? await Task.sleep(for: .microseconds(250))
        }
    }

    private func record(_ line: String) {
        let requestID = channel.recordLine(line)
        sink.record(LogRecord(function: function.name, requestID: requestID, workerID: id, stream: .stdout, message: line))
    }

    private func platformLine(_ line: String, request: InvocationID) {
        sink.record(platformRecord(line, request: request))
    }

    private func platformRecord(_ line: String, request: InvocationID) -> LogRecord {
        LogRecord(function: function.name, requestID: request, workerID: id, stream: .platform, message: line)
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}
