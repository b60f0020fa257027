import Foundation

/// Reads a process's memory use from /proc (the fallback accounting when no cgroup is ours).
enum ProcessMemory {
    /// Resident set size in bytes, or nil when the process is gone.
    static func residentBytes(pid: Int32?) -> Int? {
        guard let pid, let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func residentMegabytes(pid: Int32?) -> Int {
        (residentBytes(pid: pid) ?? 0) / (1024 * 1024)
    }

    /// User + system CPU time in nanoseconds, from /proc/PID/stat.
    static func cpuNanoseconds(pid: Int32?) -> Int? {
        guard let pid, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        let ticks = Int(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) * 1_000_000_000 / max(ticks, 1)
    }
}
