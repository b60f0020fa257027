/// What isolation and resource limits workers get, decided once from the configuration and
/// what the host offers.
struct IsolationPlan: Sendable, Equatable {
    /// The sandbox in force; nil for plain processes.
    var sandbox: Bubblewrap?
    /// Why the sandbox that was asked for (`isolation: .sandbox`) cannot be used: every worker
    /// launch fails with it rather than silently running without one.
    var sandboxProblem: String?
    var limits: ResourceLimits
    /// The interpreter a sandbox runs python functions with (nil without a sandbox).
    var python: PythonInstallation?
    /// `isolation: sandbox (bubblewrap 0.8.0); limits: cgroup v1 (memory, pids, cpuacct)`.
    var summary: String

    static func process(limits: ResourceLimits, note: String? = nil) -> IsolationPlan {
        IsolationPlan(
            sandbox: nil, limits: limits,
            summary: "isolation: process\(note.map { " (\($0))" } ?? ""); limits: \(limits.summary)")
    }

    static func sandbox(_ bubblewrap: Bubblewrap, python: PythonInstallation?, limits: ResourceLimits) -> IsolationPlan {
        IsolationPlan(
            sandbox: bubblewrap, limits: limits, python: python,
            summary: "isolation: sandbox (bubblewrap \(bubblewrap.version)); limits: \(limits.summary)")
    }

    static func unavailable(_ problem: String, limits: ResourceLimits) -> IsolationPlan {
        IsolationPlan(
            sandbox: nil, sandboxProblem: problem, limits: limits,
            summary: "isolation: sandbox UNAVAILABLE (\(problem)); limits: \(limits.summary)")
    }
}
