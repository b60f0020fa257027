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

    init(id: WorkerID, function: FunctionConfiguration, functionARN: String, sink: any LogSink) {
        self.id = id
        self.function = function
        self.functionARN = functionARN
        self.sink = sink
    }

    var pid: Int32? { process.pid }
    var invocationsServed: Int { served.load(ordering: .relaxed) }

    /// Runs the Runtime API and the process until the process ends; returns how it ended.
    func run(launcher: RuntimeLauncher, logger: Logger) async -> WorkerProcess.Exit {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
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
            let exit: WorkerProcess.Exit
            do {
                let spec = try launcher.launchSpec(for: function, worker: id, runtimeAPI: "127.0.0.1:\(port)")
                exit = await process.run(spec, onStart: { _ in }, onLine: { [self] line in self.record(line) })
            } catch {
                exit = .launchFailed("\(error)")
            }
            channel.close(reason: exit.description)
            group.cancelAll()
            return exit
        }
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
        let completion = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.channel.timeOut(request.requestID) }
            }
            defer { group.cancelAll() }
            return await channel.submit(pending)
        }
        let duration = started.duration(to: clock.now)
        served.add(1, ordering: .relaxed)
        await waitForPendingOutput()
        var lines = channel.takeLogLines()
        let id = request.requestID
        let (result, reusable): (InvocationResult, Bool)
        switch completion {
        case .response(let payload):
            (result, reusable) = (InvocationResult(requestID: id, outcome: .success, payload: payload), true)
        case .error(let type, let payload):
            (result, reusable) = (InvocationResult(requestID: id, outcome: .functionError(type: type), payload: payload), true)
        case .timedOut:
            process.killGroup()
            let seconds = String(format: "%.2f", function.timeout)
            let message = "\(Self.timestamp()) \(id) Task timed out after \(seconds) seconds"
            platformLine(message, request: id)
            lines.append(message)
            (result, reusable) = (
                .error(requestID: id, type: "Sandbox.Timedout", message: "RequestId: \(id) Error: Task timed out after \(seconds) seconds"),
                false
            )
        case .exited(let reason):
            process.killGroup()
            (result, reusable) = (
                .error(requestID: id, type: "Runtime.ExitError", message: "RequestId: \(id) Error: Runtime exited with error: \(reason)"),
                false
            )
        }
        let report = reportLines(id: id, duration: duration)
        for line in report { platformLine(line, request: id) }
        var final = result
        final.logLines = lines + report
        final.duration = duration
        return (final, reusable)
    }

    /// Stops the process group; `run` then returns.
    func stop() {
        process.killGroup()
        channel.close(reason: "stopped")
    }

    /// The init failure as the invocation error AWS reports for it.
    static func initErrorResult(_ error: any Error, requestID: InvocationID, timeout: Duration) -> InvocationResult {
        switch error as? RuntimeInitFailure {
        case .initError(let type, let payload)?:
            return InvocationResult(requestID: requestID, outcome: .functionError(type: type), payload: payload)
        case .exited(let reason)?:
            return .error(requestID: requestID, type: "Runtime.ExitError", message: "RequestId: \(requestID) Error: Runtime exited with error: \(reason)")
        case .timedOut?:
            return .error(requestID: requestID, type: "Sandbox.Timedout", message: "RequestId: \(requestID) Error: Init timed out after \(timeout)")
        case nil:
            return .error(requestID: requestID, type: "Runtime.Unknown", message: "\(error)")
        }
    }

    private func reportLines(id: InvocationID, duration: Duration) -> [String] {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return [
            "END RequestId: \(id)",
            "REPORT RequestId: \(id)\tDuration: \(String(format: "%.2f", milliseconds)) ms\tBilled Duration: \(Int(milliseconds.rounded(.up))) ms\tMemory Size: \(function.memorySize) MB\tMax Memory Used: \(ProcessMemory.residentMegabytes(pid: pid)) MB",
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
        sink.record(LogRecord(function: function.name, requestID: request, workerID: id, stream: .platform, message: line))
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}
