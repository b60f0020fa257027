import Foundation

/// A worker's memory and CPU use: from its cgroup when one is in force, else from /proc over
/// the worker's whole process tree (in a sandbox the worker's pid is bubblewrap's, and the
/// runtime is a descendant).
enum ProcessMemory {
    /// Resident set of `pid` and its descendants, in bytes; nil when `pid` is gone.
    static func treeResidentBytes(pid: Int32) -> Int? {
        guard let own = processResidentBytes(pid) else { return nil }
        return descendants(of: pid).reduce(own) { $0 + (processResidentBytes($1) ?? 0) }
    }

    static func treeCPUNanoseconds(pid: Int32) -> Int? {
        guard let own = processCPUNanoseconds(pid) else { return nil }
        return descendants(of: pid).reduce(own) { $0 + (processCPUNanoseconds($1) ?? 0) }
    }

    /// Every live descendant, through /proc/PID/task/TID/children.
    static func descendants(of pid: Int32) -> [Int32] {
        var found: [Int32] = []
        var pending = [pid]
        while let next = pending.popLast(), found.count < 4096 {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(next)/task")) ?? []
            for task in tasks {
                let children = (try? String(contentsOfFile: "/proc/\(next)/task/\(task)/children", encoding: .utf8)) ?? ""
                for child in children.split(separator: " ").compactMap({ Int32($0) }) {
                    found.append(child)
                    pending.append(child)
                }
            }
        }
        return found
    }

    private static func processResidentBytes(_ pid: Int32) -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// User + system CPU time in nanoseconds, from /proc/PID/stat.
    private static func processCPUNanoseconds(_ pid: Int32) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        let ticks = Int(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) * 1_000_000_000 / max(ticks, 1)
    }
}
