/// Enforces a worker's memory limit from /proc when no cgroup can: polls the resident memory of
/// the worker's process tree and kills it once past the limit, like the kernel would with a cgroup.
enum MemoryWatchdog {
    static let interval = Duration.milliseconds(100)

    /// Runs until cancelled or until it killed the worker; returns whether it did.
    static func watch(limitBytes: Int, pid: @Sendable () -> Int32?, kill: @Sendable () -> Void) async -> Bool {
        while !Task.isCancelled {
            if let pid = pid(), let resident = ProcessMemory.treeResidentBytes(pid: pid), resident > limitBytes {
                kill()
                return true
            }
            try? await Task.sleep(for: interval)
        }
        return false
    }
}
