/// How workers' memory and processes are limited and accounted on this host, best first.
enum ResourceLimits: Sendable, Equatable {
    /// Memory limit, pids limit and accounting by the kernel, per worker.
    case cgroup(CgroupHost)
    /// No cgroup of our own: RLIMIT_DATA as a backstop against runaway allocation, and a /proc
    /// watchdog that kills a worker whose resident memory passes MemorySize. (RLIMIT_AS would
    /// be a poor proxy: python and its libraries reserve far more address space than they use.)
    case rlimits

    var summary: String {
        switch self {
        case .cgroup(let host): host.summary
        case .rlimits: "rlimits (RLIMIT_DATA) + /proc memory watchdog (no writable cgroup)"
        }
    }

    /// RLIMIT_DATA for a function: twice its memory plus room for the interpreter's reserves,
    /// since the data segment counts writable mappings that are never touched (thread stacks).
    static func dataLimitBytes(memoryMiB: Int) -> Int {
        (2 * memoryMiB + 64) * CgroupLimits.mebibyte
    }
}
