import Foundation
import NimbusCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The cgroups of one set of worker pools: `<own cgroup>/nimbus-<pid>/w<id>` in each hierarchy.
/// The `nimbus-<pid>` root exists only while it has workers: each worker's release removes it
/// when it is the last, so a graceful shutdown leaves nothing behind. A process that exits
/// without one (tests, `exit()`) clears its trees in an `atexit` hook; after `kill -9` the next
/// start in the same cgroup sweeps them. Leftovers would also block whoever owns the parent
/// cgroup from removing it.
final class CgroupTree: Sendable {
    let host: CgroupHost
    /// `nimbus-<pid>`, or `nimbus-<pid>-<n>` for further trees in the same process (tests).
    let name: String

    private static let instances = Atomic<Int>(0)
    /// Every tree's root directories, for the exit hook.
    private static let roots = Mutex<[String]>([])

    init(host: CgroupHost) {
        self.host = host
        let instance = Self.instances.add(1, ordering: .relaxed).oldValue
        self.name = instance == 0 ? "nimbus-\(getpid())" : "nimbus-\(getpid())-\(instance)"
        if instance == 0 {
            Self.sweepStale(host)
            atexit { CgroupTree.clearAtExit() }
        }
        let name = self.name
        Self.roots.withLock { $0 += host.parentDirectories.map { "\($0)/\(name)" } }
    }

    /// Creates the worker's cgroup with its limits.
    func makeWorker(_ worker: WorkerID, memoryMiB: Int, pidsLimit: Int) throws -> WorkerCgroup {
        try makeCgroup(named: worker.description, memoryMiB: memoryMiB, pidsLimit: pidsLimit)
    }

    /// Creates a worker cgroup named `child` (a worker id, or a zygote's spare) with its limits.
    func makeCgroup(named child: String, memoryMiB: Int, pidsLimit: Int) throws -> WorkerCgroup {
        var attempt = 0
        while true {
            do {
                try prepareRoot()
                return try WorkerCgroup.create(host: host, relativePath: "\(name)/\(child)", memoryMiB: memoryMiB, pidsLimit: pidsLimit)
            } catch let failure as CgroupFiles.Failure where failure.code == ENOENT && attempt < 3 {
                // Another worker's release removed the root between our mkdirs: make it again.
                attempt += 1
            }
        }
    }

    /// Empties and removes the worker's cgroup, then the root if no worker is left.
    func release(_ cgroup: WorkerCgroup) async {
        await cgroup.destroy()
        for parent in host.parentDirectories { _ = CgroupFiles.removeDirectory("\(parent)/\(name)") }
    }

    private func prepareRoot() throws {
        for parent in host.parentDirectories {
            let root = "\(parent)/\(name)"
            try CgroupFiles.makeDirectory(root)
            if host.version == .v2 {
                try CgroupFiles.write(CgroupLimits.subtreeControl(host.controllers.filter { $0 != .cpu || hasCPUController(parent) }), to: "\(root)/cgroup.subtree_control")
            }
        }
    }

    private func hasCPUController(_ parent: String) -> Bool {
        (CgroupFiles.read("\(parent)/cgroup.subtree_control") ?? "").split(whereSeparator: \.isWhitespace).contains("cpu")
    }

    /// Kills what is left in this process's trees and removes them. Synchronous and bounded
    /// (about half a second): it runs while the process exits.
    private static func clearAtExit() {
        let roots = roots.withLock { $0 }
        for _ in 0..<50 {
            var remaining = false
            for root in roots where CgroupFiles.exists(root) {
                for worker in CgroupFiles.subdirectories(of: root) {
                    let directory = "\(root)/\(worker)"
                    for pid in CgroupFiles.processes(in: directory) { _ = kill(pid, SIGKILL) }
                    if !CgroupFiles.removeDirectory(directory) { remaining = true }
                }
                if !CgroupFiles.removeDirectory(root) { remaining = true }
            }
            if !remaining { return }
            usleep(10_000)
        }
    }

    /// Removes empty trees left by Nimbus processes that died without cleaning up (kill -9).
    /// Only empty cgroups can be removed, so a live tree of another process is never touched.
    private static func sweepStale(_ host: CgroupHost) {
        for parent in host.parentDirectories {
            for entry in CgroupFiles.subdirectories(of: parent) {
                guard let pid = ownerPID(entry), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
                let root = "\(parent)/\(entry)"
                for worker in CgroupFiles.subdirectories(of: root) { _ = CgroupFiles.removeDirectory("\(root)/\(worker)") }
                _ = CgroupFiles.removeDirectory(root)
            }
        }
    }

    /// The pid in `nimbus-<pid>`, `nimbus-<pid>-<n>` or `nimbus-<pid>.main`.
    static func ownerPID(_ name: String) -> pid_t? {
        guard name.hasPrefix("nimbus-") else { return nil }
        return pid_t(name.dropFirst("nimbus-".count).prefix(while: \.isNumber))
    }
}
