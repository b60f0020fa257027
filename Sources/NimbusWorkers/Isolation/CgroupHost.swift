/// The cgroup facility this process may use: a version and, per controller, the directory of
/// this process's own cgroup under which worker cgroups are created.
struct CgroupHost: Sendable, Equatable {
    enum Version: String, Sendable { case v1, v2 }

    /// What Nimbus uses a cgroup for. `cpu` is `cpuacct` on v1 (accounting only).
    enum Controller: String, Sendable, CaseIterable, Comparable {
        case memory, pids, cpu

        static func < (lhs: Controller, rhs: Controller) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    var version: Version
    /// Always holds `memory`; v2 maps every controller to the same directory.
    var parents: [Controller: String]

    var controllers: [Controller] { parents.keys.sorted() }

    /// The distinct parent directories (one on v2; one per mounted hierarchy on v1).
    var parentDirectories: [String] {
        var seen: [String] = []
        for controller in controllers where !seen.contains(parents[controller]!) { seen.append(parents[controller]!) }
        return seen
    }

    /// `cgroup v1 (memory, pids, cpuacct)`.
    var summary: String {
        let names = controllers.map { version == .v1 && $0 == .cpu ? "cpuacct" : $0.rawValue }
        return "cgroup \(version.rawValue) (\(names.joined(separator: ", ")))"
    }
}
