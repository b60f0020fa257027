#if canImport(Glibc)
import Glibc
#endif

/// Deciding that a worker died of its memory limit, and saying so as AWS does: function error
/// `Runtime.OutOfMemory`, "RequestId: … Error: Runtime exited with error: signal: killed".
enum OutOfMemory {
    static let errorType = "Runtime.OutOfMemory"
    /// What the runtime died of, as AWS words it for an OOM kill.
    static let exitDescription = "signal: killed"

    /// The kernel's counters for one worker's memory cgroup.
    struct Evidence: Sendable, Equatable {
        /// OOM kills in the cgroup (v2 `memory.events`, v1 `memory.oom_control`); nil where the
        /// kernel does not count them.
        var oomKills: Int?
        /// Times usage hit the limit (v1 `memory.failcnt`, v2 `memory.events` max).
        var limitHits: Int?
        /// The /proc watchdog killed the worker for exceeding its limit (no cgroup).
        var watchdogKilled = false
    }

    static func classify(_ exit: WorkerProcess.Exit, evidence: Evidence) -> Bool {
        if evidence.watchdogKilled { return true }
        if let kills = evidence.oomKills { return kills > 0 }
        // Older kernels: a SIGKILL nobody here sent, after the cgroup ran into its limit.
        return exit == .signalled(SIGKILL) && (evidence.limitHits ?? 0) > 0
    }

    // The channel carries only a reason string to whoever waits on the worker (an invocation,
    // or the pool's init-failure path): an OOM is marked by a prefix on it.
    private static let marker = "\(errorType): "

    /// The channel close reason for a worker that died of its memory limit.
    static var closeReason: String { marker + exitDescription }

    /// Whether a close reason marks an OOM, and the reason as users see it.
    static func parse(_ reason: String) -> (outOfMemory: Bool, description: String) {
        reason.hasPrefix(marker) ? (true, String(reason.dropFirst(marker.count))) : (false, reason)
    }
}
