import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finds the best cgroup facility this process may use for its workers: a delegated v2 subtree
/// with the memory and pids controllers, else writable v1 hierarchies with memory, else none.
enum CgroupProbe {
    static func probe() -> CgroupHost? {
        let mounts = CgroupDiscovery.mounts(mountinfo: CgroupFiles.read("/proc/self/mountinfo") ?? "")
        let memberships = CgroupDiscovery.memberships(procCgroup: CgroupFiles.read("/proc/self/cgroup") ?? "")
        if let directory = CgroupDiscovery.unifiedDirectory(mounts: mounts, memberships: memberships),
            let host = unified(at: directory)
        {
            return host
        }
        return legacy(mounts: mounts, memberships: memberships)
    }

    /// v2: our own cgroup must offer memory and pids, and enable them for its children.
    private static func unified(at directory: String) -> CgroupHost? {
        let available = words(CgroupFiles.read("\(directory)/cgroup.controllers"))
        guard available.contains("memory"), available.contains("pids") else { return nil }
        let wanted: [CgroupHost.Controller] = available.contains("cpu") ? [.memory, .pids, .cpu] : [.memory, .pids]
        guard writable(directory), enableForChildren(wanted, in: directory) else { return nil }
        var parents: [CgroupHost.Controller: String] = [:]
        for controller in wanted { parents[controller] = directory }
        // cpu.stat's usage_usec exists in every v2 cgroup, controller or not.
        parents[.cpu] = directory
        return CgroupHost(version: .v2, parents: parents)
    }

    /// Controllers reach a child only through the parent's `cgroup.subtree_control`, which a
    /// non-root cgroup may not set while it holds processes ("no internal processes"). When this
    /// process is alone in its cgroup (a container, a delegated service) it steps into a leaf of
    /// its own, as systemd and container runtimes do; it never moves anyone else.
    private static func enableForChildren(_ controllers: [CgroupHost.Controller], in directory: String) -> Bool {
        let line = CgroupLimits.subtreeControl(controllers)
        let enabled = { Set(controllers.map(\.rawValue)).isSubset(of: words(CgroupFiles.read("\(directory)/cgroup.subtree_control"))) }
        if enabled() { return true }
        if (try? CgroupFiles.write(line, to: "\(directory)/cgroup.subtree_control")) != nil { return true }
        let me = getpid()
        guard CgroupFiles.processes(in: directory) == [me] else { return false }
        let leaf = "\(directory)/nimbus-\(me).main"
        do {
            try CgroupFiles.makeDirectory(leaf)
            try CgroupFiles.write(String(me), to: "\(leaf)/cgroup.procs")
            try CgroupFiles.write(line, to: "\(directory)/cgroup.subtree_control")
            return true
        } catch {
            try? CgroupFiles.write(String(me), to: "\(directory)/cgroup.procs")
            _ = CgroupFiles.removeDirectory(leaf)
            return false
        }
    }

    /// v1: memory is required; pids and cpuacct are used when their hierarchies are writable too.
    private static func legacy(mounts: [CgroupDiscovery.Mount], memberships: [CgroupDiscovery.Membership]) -> CgroupHost? {
        let names: [(CgroupHost.Controller, String)] = [(.memory, "memory"), (.pids, "pids"), (.cpu, "cpuacct")]
        var parents: [CgroupHost.Controller: String] = [:]
        for (controller, name) in names {
            if let directory = CgroupDiscovery.v1Directory(for: name, mounts: mounts, memberships: memberships), writable(directory) {
                parents[controller] = directory
            }
        }
        return parents[.memory] == nil ? nil : CgroupHost(version: .v1, parents: parents)
    }

    /// Whether a child cgroup can be created here (permissions, read-only mounts, delegation).
    private static func writable(_ directory: String) -> Bool {
        let probe = "\(directory)/nimbus-probe-\(getpid())"
        guard (try? CgroupFiles.makeDirectory(probe)) != nil else { return false }
        return CgroupFiles.removeDirectory(probe)
    }

    private static func words(_ text: String?) -> Set<String> {
        Set((text ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }
}
