import Foundation
import Logging
import NimbusCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One function's template process (`Bootstrap/python/zygote.py`): started like a worker (same
/// wrapper, sandbox, environment, rlimits; no worker cgroup), it has imported the interpreter's
/// start-up and the bootstrap, and forks workers on request. A forked worker joins its own
/// cgroup, gets its own environment, log pipe and process group, and imports the handler
/// itself. Workers are only forked while the zygote is ready; otherwise (starting, crashed,
/// stopped) callers spawn directly, and a crashed zygote is started again on the next need.
final class Zygote: Sendable {
    /// A worker forked by the zygote.
    struct Child: Sendable {
        /// The pid the zygote reported (its pid namespace inside a sandbox).
        var pid: Int32
        /// The same process as the host sees it: what Nimbus signals and accounts. Nil when it
        /// ended before it could be looked up (its exit still comes from the zygote).
        var hostPID: pid_t?
    }

    /// A child forked ahead of need: it has joined its own cgroups (the slow part of a cold
    /// start on cgroup v1) and waits to become the next worker.
    struct Spare: Sendable {
        var name: String
        var pid: Int32
        var cgroup: WorkerCgroup?
    }

    private enum Phase {
        case idle
        case starting
        case ready(socket: Int32)
        /// Failed to start or died: not retried before `until`.
        case failed(until: ContinuousClock.Instant)
        case stopped
    }

    private struct State {
        var phase: Phase = .idle
        var spawns: [String: CheckedContinuation<Int32?, Never>] = [:]
        var exitWaiters: [Int32: CheckedContinuation<WorkerProcess.Exit, Never>] = [:]
        /// Exits reported before anyone waited for them.
        var exits: [Int32: WorkerProcess.Exit] = [:]
        /// Our end of the control channel until the reader closes it; shut down only under the
        /// lock, so a descriptor number reused after the close is never touched.
        var socket: Int32?
        /// Whether the zygote runs in a sandbox (its pids are those of a pid namespace).
        var sandboxed = false
        var spare: Spare?
        var preparingSpare = false
        var launcher: RuntimeLauncher?
    }

    private static let spareNames = Atomic<Int>(0)

    static let retryDelay = Duration.seconds(2)

    let function: FunctionConfiguration
    private let state = Mutex(State())
    private let process = WorkerProcess()
    private let host: @Sendable (@escaping @Sendable () async -> Void) -> Void
    private let logger: Logger

    /// - Parameter host: runs the zygote's long-lived task (the pools' supervisor).
    init(function: FunctionConfiguration, logger: Logger, host: @escaping @Sendable (@escaping @Sendable () async -> Void) -> Void) {
        self.function = function
        self.logger = logger
        self.host = host
    }

    /// The zygote process's host pid while it runs (the wrapper or bubblewrap in front of it).
    var pid: pid_t? { process.pid }

    var isReady: Bool {
        state.withLock { if case .ready = $0.phase { true } else { false } }
    }

    /// Starts the zygote unless it runs, is starting, was stopped or failed a moment ago.
    func startIfNeeded(launcher: RuntimeLauncher) {
        let start: Bool = state.withLock { state in
            switch state.phase {
            case .idle: break
            case .failed(let until) where ContinuousClock.now >= until: break
            default: return false
            }
            state.phase = .starting
            return true
        }
        guard start else { return }
        host { await self.run(launcher: launcher) }
    }

    /// Stops the zygote for good; it kills the workers it forked as it goes.
    func stop() {
        state.withLock { state in
            state.phase = .stopped
            if let socket = state.socket { shutdown(socket, Int32(SHUT_RDWR)) }
        }
        process.killGroup()
    }

    /// Forks a worker with exactly `environment`; `fds` are its log pipe's write end, then its
    /// open `cgroup.procs` files. Nil when the zygote cannot fork now (the caller spawns directly).
    /// The caller keeps and closes its own copies of `fds`.
    /// With `spare`, the spare becomes the worker and `fds` is only its log pipe.
    func spawn(worker: WorkerID, environment: [String: String], fds: [Int32], spare: Spare? = nil) async -> Child? {
        var request: [String: Any] = ["worker": worker.description, "env": environment]
        if let spare { request["spare"] = spare.name }
        guard let pid = await send(request, key: worker.description, fds: fds) else { return nil }
        return Child(pid: pid, hostPID: hostPID(of: pid))
    }

    /// The spare, if one is waiting, for a worker to become; another is prepared behind it.
    func takeSpare() -> Spare? {
        let spare = state.withLock { state in
            defer { state.spare = nil }
            return state.spare
        }
        prepareSpare()
        return spare
    }

    /// Forks a spare into fresh cgroups unless one exists or is on its way.
    private func prepareSpare() {
        let launcher: RuntimeLauncher? = state.withLock { state in
            guard case .ready = state.phase, state.spare == nil, !state.preparingSpare else { return nil }
            state.preparingSpare = true
            return state.launcher
        }
        guard let launcher else { return }
        host { [self] in
            let name = "s\(Self.spareNames.add(1, ordering: .relaxed).newValue)"
            let cgroup: WorkerCgroup?
            do {
                cgroup = try launcher.cgroups?.makeCgroup(
                    named: name, memoryMiB: function.memorySize, pidsLimit: launcher.configuration.workerPidsLimit)
            } catch {
                logger.warning("no cgroup for a spare worker", metadata: ["function.name": "\(function.name)", "error": "\(error)"])
                state.withLock { $0.preparingSpare = false }
                return
            }
            let fds = (cgroup?.processFiles ?? []).map { open($0, O_WRONLY | O_CLOEXEC) }
            let pid = fds.contains { $0 < 0 } ? nil : await send(["spare": name], key: name, fds: fds)
            for fd in fds where fd >= 0 { close(fd) }
            let kept: Bool = state.withLock { state in
                state.preparingSpare = false
                guard let pid, case .ready = state.phase else { return false }
                state.spare = Spare(name: name, pid: pid, cgroup: cgroup)
                return true
            }
            if !kept, let cgroup { await launcher.cgroups?.release(cgroup) }
        }
    }

    /// Sends one request and waits for its `spawned` (the pid) or `failed` (nil) answer.
    private func send(_ request: [String: Any], key: String, fds: [Int32]) async -> Int32? {
        guard let body = try? JSONSerialization.data(withJSONObject: request) else { return nil }
        return await withCheckedContinuation { continuation in
            let sent: Bool = state.withLock { state in
                guard case .ready(let socket) = state.phase else { return false }
                state.spawns[key] = continuation
                guard ZygoteSocket.send(Array(body), fds: fds, on: socket) else {
                    state.spawns[key] = nil
                    return false
                }
                return true
            }
            if !sent { continuation.resume(returning: nil) }
        }
    }

    /// Waits for a forked worker to end. Cancelling kills it (the zygote then reports the exit).
    func exit(of child: Child) async -> WorkerProcess.Exit {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let known: WorkerProcess.Exit? = state.withLock { state in
                    if let exit = state.exits.removeValue(forKey: child.pid) { return exit }
                    if case .ready = state.phase {
                        state.exitWaiters[child.pid] = continuation
                        return nil
                    }
                    // The zygote is gone, and its workers with it (parent-death signal).
                    return .signalled(SIGKILL)
                }
                if let known { continuation.resume(returning: known) }
            }
        } onCancel: {
            if let hostPID = child.hostPID, hostPID > 0 { _ = kill(-hostPID, SIGKILL) }
        }
    }

    // MARK: The zygote process

    private func run(launcher: RuntimeLauncher) async {
        let started = ContinuousClock.now
        guard let (ours, theirs) = ZygoteSocket.pair() else {
            failed("socketpair: errno \(errno)")
            return
        }
        let spec: WorkerProcess.LaunchSpec
        do { spec = try launcher.zygoteSpec(for: function) } catch {
            close(ours)
            close(theirs)
            failed("\(error)")
            return
        }
        state.withLock { state in
            state.socket = ours
            state.sandboxed = spec.sandboxed
            state.launcher = launcher
        }
        let thread = Thread { [self] in self.read(ours, started: started) }
        thread.name = "nimbus-zygote"
        thread.start()
        let logger = self.logger
        let name = function.name
        let exit = await process.run(spec, input: theirs, onStart: { _ in }, onLine: { line in
            logger.info("zygote: \(line)", metadata: ["function.name": "\(name)"])
        })
        // The reader sees the end of the stream once the zygote and its workers are gone.
        let spare: Spare? = state.withLock { state in
            if let socket = state.socket { shutdown(socket, Int32(SHUT_RDWR)) }
            defer { state.spare = nil }
            return state.spare
        }
        if let cgroup = spare?.cgroup { await launcher.cgroups?.release(cgroup) }
        logger.debug("zygote exited", metadata: ["function.name": "\(name)", "exit": "\(exit.description)"])
    }

    /// Reads the zygote's messages until the channel closes, then fails what waits on it.
    private func read(_ socket: Int32, started: ContinuousClock.Instant) {
        while let message = ZygoteSocket.receive(on: socket) {
            let words = message.split(separator: " ", maxSplits: 2).map(String.init)
            switch (words.first, words.count) {
            case ("ready", _):
                let ready: Bool = state.withLock { state in
                    guard case .starting = state.phase else { return false }
                    state.phase = .ready(socket: socket)
                    return true
                }
                logger.debug("zygote ready", metadata: [
                    "function.name": "\(function.name)", "zygote.start.ms": "\((ContinuousClock.now - started).milliseconds)",
                    "zygote.rss.kb": "\((pid.flatMap(ProcessMemory.treeResidentBytes) ?? 0) / 1024)",
                ])
                if !ready { shutdown(socket, Int32(SHUT_RDWR)) }  // stopped meanwhile: the reader still owns it
                prepareSpare()
            case ("spawned", 3):
                let waiter = state.withLock { $0.spawns.removeValue(forKey: words[1]) }
                waiter?.resume(returning: Int32(words[2]))
            case ("failed", _) where words.count >= 2:
                logger.warning("zygote could not fork", metadata: ["function.name": "\(function.name)", "error": "\(message)"])
                let waiter = state.withLock { $0.spawns.removeValue(forKey: words[1]) }
                waiter?.resume(returning: nil)
            case ("exit", 3):
                guard let pid = Int32(words[1]), let code = Int32(words[2]) else { continue }
                let exit: WorkerProcess.Exit = code < 0 ? .signalled(-code) : .exited(code)
                if let spare = state.withLock({ state in state.spare?.pid == pid ? state.spare.take() : nil }) {
                    logger.warning("spare worker ended", metadata: ["function.name": "\(function.name)", "exit": "\(exit.description)"])
                    if let cgroup = spare.cgroup, let cgroups = state.withLock({ $0.launcher?.cgroups }) {
                        host { await cgroups.release(cgroup) }
                    }
                    continue
                }
                let waiter: CheckedContinuation<WorkerProcess.Exit, Never>? = state.withLock { state in
                    if let waiter = state.exitWaiters.removeValue(forKey: pid) { return waiter }
                    state.exits[pid] = exit
                    return nil
                }
                waiter?.resume(returning: exit)
            default:
                logger.warning("zygote sent an unknown message", metadata: ["function.name": "\(function.name)", "message": "\(message)"])
            }
        }
        let (spawns, waiters) = state.withLock { state in
            if case .stopped = state.phase {} else { state.phase = .failed(until: ContinuousClock.now + Self.retryDelay) }
            close(socket)
            state.socket = nil
            defer {
                state.spawns = [:]
                state.exitWaiters = [:]
                state.exits = [:]
            }
            return (state.spawns, state.exitWaiters)
        }
        for waiter in spawns.values { waiter.resume(returning: nil) }
        for waiter in waiters.values { waiter.resume(returning: .signalled(SIGKILL)) }
    }

    private func failed(_ reason: String) {
        logger.warning("zygote did not start; workers start directly", metadata: ["function.name": "\(function.name)", "error": "\(reason)"])
        state.withLock { state in
            if case .stopped = state.phase { return }
            state.phase = .failed(until: ContinuousClock.now + Self.retryDelay)
        }
    }

    /// The host pid of a process the zygote forked: the same number without a pid namespace,
    /// else the descendant of the zygote whose innermost pid (`NSpid`) is `pid` (nil when it
    /// has already ended).
    private func hostPID(of pid: Int32) -> pid_t? {
        guard pid > 0 else { return nil }
        guard state.withLock({ $0.sandboxed }) else { return pid }
        guard let root = process.pid else { return nil }
        for candidate in ProcessMemory.descendants(of: root) {
            guard let status = try? String(contentsOfFile: "/proc/\(candidate)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") })
            else { continue }
            if line.split(whereSeparator: \.isWhitespace).last.flatMap({ Int32($0) }) == pid { return candidate }
        }
        return nil
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
