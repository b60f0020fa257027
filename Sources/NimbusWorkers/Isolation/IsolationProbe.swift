import Foundation
import Synchronization

/// Detects what the host offers for isolating workers (bubblewrap, cgroup v2 or v1, rlimits),
/// once per process, and says what is in force.
public enum IsolationProbe {
    /// The one-line summary printed at start-up:
    /// `isolation: sandbox (bubblewrap 0.8.0); limits: cgroup v1 (memory, pids, cpuacct)`.
    public static func describe(_ configuration: WorkersConfiguration) -> String {
        plan(for: configuration).summary
    }

    /// Fails when the isolation asked for cannot be had here (`.sandbox` without a working bubblewrap).
    public static func validate(_ configuration: WorkersConfiguration) throws(Unavailable) {
        if let problem = plan(for: configuration).sandboxProblem { throw Unavailable(description: "isolation sandbox: \(problem)") }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    static func plan(for configuration: WorkersConfiguration) -> IsolationPlan {
        let limits: ResourceLimits = cgroups.map { .cgroup($0) } ?? .rlimits
        switch (configuration.isolation, bubblewrap) {
        case (.process, _):
            return .process(limits: limits)
        case (.auto, .failure(let failure)):
            return .process(limits: limits, note: "no sandbox: \(failure)")
        case (.sandbox, .failure(let failure)):
            return .unavailable(failure.description, limits: limits)
        case (.auto, .success(let bubblewrap)), (.sandbox, .success(let bubblewrap)):
            return .sandbox(bubblewrap, python: python(configuration.pythonExecutable), limits: limits)
        }
    }

    private static var searchPath: String { ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin" }

    // Probed once: they run processes and touch cgroupfs, and the answers do not change.
    private static let bubblewrap = Bubblewrap.probe(searchPath: searchPath)
    private static let cgroups = CgroupProbe.probe()
    private static let pythons = Mutex<[String: PythonInstallation?]>([:])

    /// The host's python, probed once per executable (the sandbox and the version check share it).
    static func python(_ executable: String) -> PythonInstallation? {
        if let known = pythons.withLock({ $0[executable] }) { return known }
        let found = PythonInstallation.probe(executable, searchPath: searchPath)
        pythons.withLock { $0[executable] = found }
        return found
    }
}
