import Foundation
import NimbusCore
import Subprocess
import SystemPackage
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One running worker process in its own process group, its stdout and stderr merged into
/// one pipe that is read line by line (as Lambda merges them into one log stream).
final class WorkerProcess: Sendable {
    struct LaunchSpec: Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
        var workingDirectory: String
        /// Runs under bubblewrap, which reports a runtime killed by signal N as exit status 128+N.
        var sandboxed = false
    }

    enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case launchFailed(String)

        /// The runtime's own ending when a sandbox stood between: bubblewrap exits 128+N for a
        /// runtime killed by signal N. (A runtime exiting with such a status on its own reads as the signal.)
        func unwrappingSandbox() -> Exit {
            if case .exited(let code) = self, code > 128, code <= 128 + 64 { return .signalled(code - 128) }
            return self
        }

        var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "signal: \(Self.signalName(signal))"
            case .launchFailed(let reason): "launch failed: \(reason)"
            }
        }

        private static func signalName(_ signal: Int32) -> String {
            switch signal {
            case SIGKILL: "killed"
            case SIGSEGV: "segmentation fault"
            case SIGTERM: "terminated"
            case SIGABRT: "aborted"
            default: "\(signal)"
            }
        }
    }

    private let pidBox = Mutex<pid_t?>(nil)
    /// The pipe's read end while the reader owns it (nil once the reader has closed it).
    private let readEnd = Mutex<Int32?>(nil)

    var pid: pid_t? { pidBox.withLock { $0 } }

    /// Runs the process until it exits; `onStart` gets its pid, `onLine` every output line.
    /// Returns how it ended. Every process left in its group is killed before returning.
    /// - Parameter input: a descriptor to install as the process's stdin (closed once it runs);
    ///   nil for none.
    func run(
        _ spec: LaunchSpec,
        input: Int32? = nil,
        onStart: @Sendable (pid_t) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async -> Exit {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .launchFailed("pipe: errno \(errno)") }
        // Close-on-exec: only the duplicates Subprocess installs as stdout/stderr reach the child.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let readEnd = fds[0]
        let writeEnd = FileDescriptor(rawValue: fds[1])
        let errorEnd: FileDescriptor
        do { errorEnd = try writeEnd.duplicate() } catch {
            close(readEnd)
            try? writeEnd.close()
            return .launchFailed("dup: \(error)")
        }
        self.readEnd.withLock { $0 = readEnd }
        LineReader.start(fileDescriptor: readEnd, onLine: onLine, onEnd: { [self] in self.readEnd.withLock { $0 = nil } })

        var options = PlatformOptions()
        // Own process group: stopping the worker kills everything it forked.
        options.processGroupID = 0
        do {
            let status: TerminationStatus =
                if let input {
                    try await spawn(
                        spec, options: options, input: FileDescriptorInput.fileDescriptor(FileDescriptor(rawValue: input), closeAfterSpawningProcess: true),
                        output: writeEnd, error: errorEnd, onStart: onStart)
                } else {
                    try await spawn(spec, options: options, input: NoInput.none, output: writeEnd, error: errorEnd, onStart: onStart)
                }
            killGroup()
            let exit: Exit = switch status {
            case .exited(let code): .exited(code)
            case .signaled(let signal): .signalled(signal)
            }
            return spec.sandboxed ? exit.unwrappingSandbox() : exit
        } catch {
            killGroup()
            try? writeEnd.close()
            try? errorEnd.close()
            return .launchFailed("\(error)")
        }
    }

    private func spawn<Input: InputProtocol>(
        _ spec: LaunchSpec, options: PlatformOptions, input: Input, output: FileDescriptor, error: FileDescriptor,
        onStart: @Sendable (pid_t) -> Void
    ) async throws -> TerminationStatus {
        try await Subprocess.run(
            .path(FilePath(spec.executable)),
            arguments: Arguments(spec.arguments),
            environment: .custom(Dictionary(uniqueKeysWithValues: spec.environment.map { (Environment.Key(rawValue: $0.key)!, $0.value) })),
            workingDirectory: FilePath(spec.workingDirectory),
            platformOptions: options,
            input: input,
            output: .fileDescriptor(output, closeAfterSpawningProcess: true),
            error: .fileDescriptor(error, closeAfterSpawningProcess: true)
        ) { execution in
            let pid = execution.processIdentifier.value
            self.pidBox.withLock { $0 = pid }
            onStart(pid)
        }.terminationStatus
    }

    /// Runs the worker as a child forked by its function's zygote, with the environment of
    /// `spec`, joining `cgroupFiles` before any user code. Nil when the zygote could not fork
    /// (nothing was started: the caller spawns directly). Returns how the worker ended; its
    /// process group is killed before returning.
    func runForked(
        _ spec: LaunchSpec, zygote: Zygote, worker: WorkerID, cgroupFiles: [String], spare: Zygote.Spare? = nil,
        onLine: @escaping @Sendable (String) -> Void, onStart: @Sendable () -> Void = {}
    ) async -> Exit? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var passed = [fds[1]]
        defer { for fd in passed { close(fd) } }
        for file in cgroupFiles {
            let fd = open(file, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                close(fds[0])
                return nil
            }
            passed.append(fd)
        }
        guard let child = await zygote.spawn(worker: worker, environment: spec.environment, fds: passed, spare: spare) else {
            close(fds[0])
            return nil
        }
        for fd in passed { close(fd) }
        passed = []
        // Output written before the reader starts waits in the pipe.
        readEnd.withLock { $0 = fds[0] }
        LineReader.start(fileDescriptor: fds[0], onLine: onLine, onEnd: { [self] in self.readEnd.withLock { $0 = nil } })
        if let hostPID = child.hostPID, hostPID > 0 { pidBox.withLock { $0 = hostPID } }
        onStart()
        let exit = await zygote.exit(of: child)
        killGroup()
        return exit
    }

    /// True while output sits in the pipe that the reader has not taken yet.
    var hasUnreadOutput: Bool {
        readEnd.withLock { fd in
            guard let fd else { return false }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, 0) > 0 && entry.revents & Int16(POLLIN) != 0
        }
    }

    /// Kills the whole process group (the worker and anything it forked).
    func killGroup() {
        guard let pid else { return }
        _ = kill(-pid, SIGKILL)
    }
}
