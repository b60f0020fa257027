import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One worker's cgroup (one directory per hierarchy on v1): created with its limits before the
/// worker starts, joined by the launch wrapper, read for accounting, emptied and removed when
/// the worker ends.
final class WorkerCgroup: Sendable {
    let version: CgroupHost.Version
    /// The worker's directory per controller.
    let directories: [CgroupHost.Controller: String]

    /// The peak memory file, read after every invocation for REPORT.
    private let peakFile: CgroupCounterFile?

    init(version: CgroupHost.Version, directories: [CgroupHost.Controller: String]) {
        self.version = version
        self.directories = directories
        self.peakFile = directories[.memory].map { CgroupCounterFile(path: "\($0)/\(CgroupLimits.memoryPeakFile(version))") }
    }

    /// Every distinct directory, memory's first.
    var distinctDirectories: [String] {
        var seen: [String] = []
        for controller in directories.keys.sorted() where !seen.contains(directories[controller]!) {
            seen.append(directories[controller]!)
        }
        return seen
    }

    /// The files the launch wrapper writes its pid into.
    var processFiles: [String] { distinctDirectories.map { "\($0)/cgroup.procs" } }

    /// Creates the directories under the host's parents and writes the limits; leaves nothing
    /// behind when that fails.
    static func create(host: CgroupHost, relativePath: String, memoryMiB: Int, pidsLimit: Int) throws -> WorkerCgroup {
        var directories: [CgroupHost.Controller: String] = [:]
        for (controller, parent) in host.parents { directories[controller] = "\(parent)/\(relativePath)" }
        let cgroup = WorkerCgroup(version: host.version, directories: directories)
        do {
            for directory in cgroup.distinctDirectories { try CgroupFiles.makeDirectory(directory) }
            let writes = CgroupLimits.writes(version: host.version, controllers: host.controllers, memoryMiB: memoryMiB, pidsLimit: pidsLimit)
            for write in writes {
                guard let directory = directories[write.controller] else { continue }
                let path = "\(directory)/\(write.file)"
                if write.required {
                    try CgroupFiles.write(write.value, to: path)
                } else if CgroupFiles.exists(path) {
                    try? CgroupFiles.write(write.value, to: path)
                }
            }
        } catch {
            for directory in cgroup.distinctDirectories { _ = CgroupFiles.removeDirectory(directory) }
            throw error
        }
        return cgroup
    }

    // MARK: Accounting

    var memoryCurrentBytes: Int? { readInt(.memory, CgroupLimits.memoryCurrentFile(version)) }
    var memoryPeakBytes: Int? { peakFile?.read() }

    var cpuNanoseconds: Int? {
        guard let directory = directories[.cpu], let text = CgroupFiles.read("\(directory)/\(CgroupLimits.cpuFile(version))") else { return nil }
        return CgroupLimits.cpuNanoseconds(text, version: version)
    }

    /// What the kernel says about memory pressure in this cgroup, for `OutOfMemory.classify`.
    var memoryEvidence: OutOfMemory.Evidence {
        guard let directory = directories[.memory] else { return OutOfMemory.Evidence() }
        let events = CgroupFiles.read("\(directory)/\(CgroupLimits.oomEventsFile(version))") ?? ""
        return OutOfMemory.Evidence(
            oomKills: CgroupLimits.keyedValue("oom_kill", in: events),
            limitHits: version == .v1 ? readInt(.memory, "memory.failcnt") : CgroupLimits.keyedValue("max", in: events))
    }

    // MARK: Ending

    /// SIGKILL for every process in the cgroup, including any that left the process group.
    func killAll() {
        if version == .v2, let directory = distinctDirectories.first, CgroupFiles.exists("\(directory)/cgroup.kill") {
            try? CgroupFiles.write("1", to: "\(directory)/cgroup.kill")
        }
        for directory in distinctDirectories {
            for pid in CgroupFiles.processes(in: directory) { _ = kill(pid, SIGKILL) }
        }
    }

    /// Kills stragglers until the cgroup is empty, then removes its directories. Bounded: a
    /// process stuck in the kernel can keep a directory alive; the next start sweeps it.
    func destroy() async {
        peakFile?.close()
        for _ in 0..<100 {
            killAll()
            let remaining = distinctDirectories.filter { !CgroupFiles.removeDirectory($0) }
            if remaining.isEmpty { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func readInt(_ controller: CgroupHost.Controller, _ file: String) -> Int? {
        guard let directory = directories[controller], let text = CgroupFiles.read("\(directory)/\(file)") else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
