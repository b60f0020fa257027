import Foundation

/// The files a worker's cgroup is configured and read through, per cgroup version. Pure, so
/// the values are tested without a cgroup filesystem.
enum CgroupLimits {
    /// One value written into a new worker cgroup.
    struct Write: Sendable, Equatable {
        var controller: CgroupHost.Controller
        var file: String
        var value: String
        /// Optional settings are skipped where the kernel lacks the file (e.g. no swap accounting).
        var required: Bool = true
    }

    static let mebibyte = 1024 * 1024

    static func writes(version: CgroupHost.Version, controllers: [CgroupHost.Controller], memoryMiB: Int, pidsLimit: Int) -> [Write] {
        let bytes = String(memoryMiB * mebibyte)
        var writes: [Write]
        switch version {
        case .v1:
            writes = [Write(controller: .memory, file: "memory.limit_in_bytes", value: bytes)]
        case .v2:
            writes = [
                Write(controller: .memory, file: "memory.max", value: bytes),
                Write(controller: .memory, file: "memory.swap.max", value: "0", required: false),
                // An OOM ends the whole execution environment, as on Lambda.
                Write(controller: .memory, file: "memory.oom.group", value: "1", required: false),
            ]
        }
        if controllers.contains(.pids) { writes.append(Write(controller: .pids, file: "pids.max", value: String(pidsLimit))) }
        return writes
    }

    /// The line enabling controllers for the worker cgroups below a v2 tree root.
    static func subtreeControl(_ controllers: [CgroupHost.Controller]) -> String {
        controllers.map { "+\($0.rawValue)" }.joined(separator: " ")
    }

    static func memoryCurrentFile(_ version: CgroupHost.Version) -> String {
        version == .v2 ? "memory.current" : "memory.usage_in_bytes"
    }

    static func memoryPeakFile(_ version: CgroupHost.Version) -> String {
        version == .v2 ? "memory.peak" : "memory.max_usage_in_bytes"
    }

    /// v2 keeps the OOM-kill counter in `memory.events`, v1 (kernel 4.13+) in `memory.oom_control`.
    static func oomEventsFile(_ version: CgroupHost.Version) -> String {
        version == .v2 ? "memory.events" : "memory.oom_control"
    }

    static func cpuFile(_ version: CgroupHost.Version) -> String {
        version == .v2 ? "cpu.stat" : "cpuacct.usage"
    }

    /// CPU time in nanoseconds from the text of `cpuFile`.
    static func cpuNanoseconds(_ text: String, version: CgroupHost.Version) -> Int? {
        switch version {
        case .v1: Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        case .v2: keyedValue("usage_usec", in: text).map { $0 * 1000 }
        }
    }

    /// The number after `key` in a flat-keyed file (`oom_kill 1`).
    static func keyedValue(_ key: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int(parts[1]) }
        }
        return nil
    }
}
