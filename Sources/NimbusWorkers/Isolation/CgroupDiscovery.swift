/// Finds where this process's cgroups live, from the text of `/proc/self/mountinfo` and
/// `/proc/self/cgroup`. Pure: the probe reads the files, tests pass samples.
enum CgroupDiscovery {
    /// One mounted cgroup hierarchy.
    struct Mount: Sendable, Equatable {
        var mountPoint: String
        /// The cgroup the mount shows at its mount point (mountinfo's "root" field).
        var root: String
        var isUnified: Bool
        /// v1: the controllers the hierarchy carries (from the super options); v2: empty.
        var controllers: Set<String>
    }

    /// One line of `/proc/self/cgroup`: a hierarchy and this process's path in it.
    struct Membership: Sendable, Equatable {
        /// Empty for the unified (v2) hierarchy.
        var controllers: Set<String>
        var path: String
        var isUnified: Bool { controllers.isEmpty }
    }

    private static let knownV1Controllers: Set<String> = [
        "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory", "misc",
        "net_cls", "net_prio", "perf_event", "pids", "rdma",
    ]

    static func mounts(mountinfo: String) -> [Mount] {
        mountinfo.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count > dash + 3 else { return nil }
            let type = fields[dash + 1]
            guard type == "cgroup" || type == "cgroup2" else { return nil }
            let options = fields[dash + 3].split(separator: ",").map(String.init)
            return Mount(
                mountPoint: unescape(fields[4]), root: unescape(fields[3]), isUnified: type == "cgroup2",
                controllers: type == "cgroup2" ? [] : Set(options).intersection(knownV1Controllers))
        }
    }

    static func memberships(procCgroup: String) -> [Membership] {
        procCgroup.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            let controllers = Set(parts[1].split(separator: ",").map(String.init).filter { !$0.hasPrefix("name=") })
            // A named hierarchy without controllers (name=systemd) is not the unified one.
            if controllers.isEmpty && !parts[1].isEmpty { return nil }
            return Membership(controllers: controllers, path: String(parts[2]))
        }
    }

    /// The directory of this process's cgroup in `mount`, or nil when the path lies outside it.
    static func directory(of path: String, in mount: Mount) -> String? {
        let base = mount.mountPoint.hasSuffix("/") ? String(mount.mountPoint.dropLast()) : mount.mountPoint
        if mount.root == "/" { return path == "/" ? base : base + path }
        guard path == mount.root || path.hasPrefix(mount.root + "/") else { return nil }
        return base + path.dropFirst(mount.root.count)
    }

    /// The directory this process occupies in the unified hierarchy, if one is mounted.
    static func unifiedDirectory(mounts: [Mount], memberships: [Membership]) -> String? {
        guard let mount = mounts.first(where: \.isUnified), let membership = memberships.first(where: \.isUnified) else { return nil }
        return directory(of: membership.path, in: mount)
    }

    /// The directory this process occupies in the v1 hierarchy carrying `controller`.
    static func v1Directory(for controller: String, mounts: [Mount], memberships: [Membership]) -> String? {
        guard let mount = mounts.first(where: { $0.controllers.contains(controller) }),
            let membership = memberships.first(where: { $0.controllers.contains(controller) })
        else { return nil }
        return directory(of: membership.path, in: mount)
    }

    /// mountinfo escapes space, tab, newline and backslash as octal (`\040`).
    private static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
