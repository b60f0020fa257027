import Foundation
import NimbusCore
import Testing

@testable import NimbusWorkers

#if canImport(Glibc)
import Glibc
#endif

/// The pure parts of worker isolation: cgroup discovery and limit values, the bubblewrap and
/// wrapper command lines, layer merging, OOM classification, and the launch spec in both modes.
@Suite struct IsolationTests {
    // MARK: cgroup discovery

    /// This machine's shape: cgroup v1 hierarchies, memory nested under a parent's cgroup, plus
    /// a controller-less unified mount (hybrid).
    static let hybridMountinfo = """
        25 30 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 25 0:27 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu
        32 25 0:28 / /sys/fs/cgroup/cpuacct rw,relatime shared:10 - cgroup cgroup rw,cpuacct
        33 25 0:29 / /sys/fs/cgroup/memory rw,relatime shared:11 - cgroup cgroup rw,memory
        34 25 0:30 / /sys/fs/cgroup/pids rw,relatime shared:12 - cgroup cgroup rw,pids
        35 25 0:31 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
        36 25 0:32 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """
    static let hybridCgroup = """
        9:name=systemd:/
        8:pids:/
        4:memory:/process_api/7a45
        2:cpuacct:/
        1:cpu:/
        0::/
        """

    @Test("v1 hierarchies: each controller's directory is the mount point plus this process's path")
    func discoversV1Directories() {
        let mounts = CgroupDiscovery.mounts(mountinfo: Self.hybridMountinfo)
        let memberships = CgroupDiscovery.memberships(procCgroup: Self.hybridCgroup)
        #expect(mounts.count == 6)
        #expect(memberships.count == 5)
        #expect(CgroupDiscovery.v1Directory(for: "memory", mounts: mounts, memberships: memberships) == "/sys/fs/cgroup/memory/process_api/7a45")
        #expect(CgroupDiscovery.v1Directory(for: "pids", mounts: mounts, memberships: memberships) == "/sys/fs/cgroup/pids")
        #expect(CgroupDiscovery.v1Directory(for: "cpuacct", mounts: mounts, memberships: memberships) == "/sys/fs/cgroup/cpuacct")
        #expect(CgroupDiscovery.unifiedDirectory(mounts: mounts, memberships: memberships) == "/sys/fs/cgroup/unified")
    }

    @Test("v2 only, comounted v1 and mounts rooted below / (containers)")
    func discoversOtherLayouts() {
        let unified = CgroupDiscovery.mounts(mountinfo: "29 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate")
        let membership = CgroupDiscovery.memberships(procCgroup: "0::/user.slice/user-1000.slice/session-2.scope\n")
        #expect(CgroupDiscovery.unifiedDirectory(mounts: unified, memberships: membership) == "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope")

        let comounted = CgroupDiscovery.mounts(mountinfo: "40 25 0:35 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct")
        #expect(comounted.first?.controllers == ["cpu", "cpuacct"])
        let inside = CgroupDiscovery.memberships(procCgroup: "3:cpu,cpuacct:/docker/abc/sub")
        #expect(CgroupDiscovery.v1Directory(for: "cpuacct", mounts: comounted, memberships: inside) == "/sys/fs/cgroup/cpu,cpuacct/sub")
        let outside = CgroupDiscovery.memberships(procCgroup: "3:cpu,cpuacct:/elsewhere")
        #expect(CgroupDiscovery.v1Directory(for: "cpuacct", mounts: comounted, memberships: outside) == nil)

        let escaped = CgroupDiscovery.mounts(mountinfo: "41 25 0:36 / /mnt/my\\040cgroups rw - cgroup2 none rw")
        #expect(escaped.first?.mountPoint == "/mnt/my cgroups")
    }

    @Test("The summary names the version and the controllers in force")
    func hostSummary() {
        let v1 = CgroupHost(version: .v1, parents: [.memory: "/m", .pids: "/p", .cpu: "/c"])
        #expect(v1.summary == "cgroup v1 (memory, pids, cpuacct)")
        #expect(v1.parentDirectories == ["/m", "/p", "/c"])
        let v2 = CgroupHost(version: .v2, parents: [.memory: "/u", .pids: "/u", .cpu: "/u"])
        #expect(v2.summary == "cgroup v2 (memory, pids, cpu)")
        #expect(v2.parentDirectories == ["/u"])
    }

    // MARK: limit values

    @Test("v1: memory.limit_in_bytes is MemorySize MiB, pids.max the pids limit", arguments: [128, 512, 10240])
    func v1Limits(memory: Int) {
        let writes = CgroupLimits.writes(version: .v1, controllers: [.memory, .pids, .cpu], memoryMiB: memory, pidsLimit: 256)
        #expect(writes == [
            .init(controller: .memory, file: "memory.limit_in_bytes", value: String(memory * 1_048_576)),
            .init(controller: .pids, file: "pids.max", value: "256"),
        ])
    }

    @Test("v2: memory.max, no swap, group OOM kill; no pids.max without the pids controller")
    func v2Limits() {
        let writes = CgroupLimits.writes(version: .v2, controllers: [.memory, .cpu], memoryMiB: 128, pidsLimit: 256)
        #expect(writes.map(\.file) == ["memory.max", "memory.swap.max", "memory.oom.group"])
        #expect(writes[0].value == "134217728" && writes[0].required)
        #expect(!writes[1].required && !writes[2].required)
        #expect(CgroupLimits.subtreeControl([.memory, .pids, .cpu]) == "+memory +pids +cpu")
    }

    @Test("Accounting files parse per version")
    func accountingParsing() {
        #expect(CgroupLimits.cpuNanoseconds("183291431\n", version: .v1) == 183_291_431)
        #expect(CgroupLimits.cpuNanoseconds("usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n", version: .v2) == 1_500_000)
        #expect(CgroupLimits.keyedValue("oom_kill", in: "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n") == 1)
        #expect(CgroupLimits.keyedValue("oom_kill", in: "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n") == 0)
        #expect(CgroupLimits.keyedValue("oom_kill", in: "oom_kill_disable 0\nunder_oom 0\n") == nil)
    }

    @Test("A worker cgroup reads its counters from its own files")
    func workerCgroupReadsFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n".write(toFile: "\(directory)/memory.oom_control", atomically: false, encoding: .utf8)
        try "7\n".write(toFile: "\(directory)/memory.failcnt", atomically: false, encoding: .utf8)
        try "1048576\n".write(toFile: "\(directory)/memory.usage_in_bytes", atomically: false, encoding: .utf8)
        let cgroup = WorkerCgroup(version: .v1, directories: [.memory: directory, .pids: "/p/w1", .cpu: "/c/w1"])
        #expect(cgroup.memoryEvidence == OutOfMemory.Evidence(oomKills: 2, limitHits: 7))
        #expect(cgroup.memoryCurrentBytes == 1_048_576)
        #expect(cgroup.processFiles == ["\(directory)/cgroup.procs", "/p/w1/cgroup.procs", "/c/w1/cgroup.procs"])
    }

    @Test("Stale trees are recognised by the pid in their name")
    func treeOwner() {
        #expect(CgroupTree.ownerPID("nimbus-123") == 123)
        #expect(CgroupTree.ownerPID("nimbus-123-2") == 123)
        #expect(CgroupTree.ownerPID("nimbus-123.main") == 123)
        #expect(CgroupTree.ownerPID("nimbus-probe-5") == nil)
        #expect(CgroupTree.ownerPID("docker") == nil)
    }

    // MARK: OOM classification

    struct OOMCase: Sendable, CustomTestStringConvertible {
        var exit: WorkerProcess.Exit
        var evidence: OutOfMemory.Evidence
        var outOfMemory: Bool
        var testDescription: String { "\(exit.description), \(evidence) → \(outOfMemory)" }
    }

    @Test("OOM: the kernel's oom_kill counter decides; else SIGKILL after hitting the limit; else the watchdog", arguments: [
        OOMCase(exit: .signalled(SIGKILL), evidence: .init(oomKills: 1, limitHits: 40), outOfMemory: true),
        OOMCase(exit: .exited(1), evidence: .init(oomKills: 1), outOfMemory: true),
        OOMCase(exit: .signalled(SIGKILL), evidence: .init(oomKills: 0, limitHits: 3), outOfMemory: false),
        OOMCase(exit: .exited(3), evidence: .init(oomKills: 0), outOfMemory: false),
        OOMCase(exit: .signalled(SIGKILL), evidence: .init(oomKills: nil, limitHits: 5), outOfMemory: true),
        OOMCase(exit: .signalled(SIGKILL), evidence: .init(oomKills: nil, limitHits: 0), outOfMemory: false),
        OOMCase(exit: .exited(1), evidence: .init(oomKills: nil, limitHits: 5), outOfMemory: false),
        OOMCase(exit: .signalled(SIGKILL), evidence: .init(watchdogKilled: true), outOfMemory: true),
        OOMCase(exit: .signalled(SIGKILL), evidence: .init(), outOfMemory: false),
    ])
    func classifiesOutOfMemory(_ example: OOMCase) {
        #expect(OutOfMemory.classify(example.exit, evidence: example.evidence) == example.outOfMemory)
    }

    @Test("An OOM reaches the caller as AWS reports it: Runtime.OutOfMemory, signal: killed")
    func outOfMemoryResult() throws {
        #expect(OutOfMemory.parse(OutOfMemory.closeReason) == (true, "signal: killed"))
        #expect(OutOfMemory.parse("exit status 3") == (false, "exit status 3"))
        let id = InvocationID()
        let result = Worker.initErrorResult(RuntimeInitFailure.exited(OutOfMemory.closeReason), requestID: id, timeout: .seconds(10))
        #expect(result.outcome == .functionError(type: "Runtime.OutOfMemory"))
        let body = try JSONSerialization.jsonObject(with: result.payload) as? [String: Any]
        #expect(body?["errorMessage"] as? String == "RequestId: \(id) Error: Runtime exited with error: signal: killed")
        let crash = Worker.initErrorResult(RuntimeInitFailure.exited("exit status 3"), requestID: id, timeout: .seconds(10))
        #expect(crash.outcome == .functionError(type: "Runtime.ExitError"))
    }

    @Test("bubblewrap's 128+N exit status reads as signal N", arguments: [
        (WorkerProcess.Exit.exited(137), WorkerProcess.Exit.signalled(SIGKILL)),
        (.exited(139), .signalled(SIGSEGV)),
        (.exited(3), .exited(3)),
        (.exited(128), .exited(128)),
        (.signalled(SIGKILL), .signalled(SIGKILL)),
    ])
    func sandboxExit(_ raw: WorkerProcess.Exit, _ expected: WorkerProcess.Exit) {
        #expect(raw.unwrappingSandbox() == expected)
    }

    // MARK: command lines

    static let mergedUsr = SandboxSystem(entries: [
        .bind("/usr"), .bind("/etc"), .symlink(target: "usr/bin", path: "/bin"), .symlink(target: "usr/lib", path: "/lib"),
    ])

    static func sandbox(layers: [LayerMounts.Bind] = []) -> SandboxCommand {
        SandboxCommand(
            bubblewrap: "/usr/bin/bwrap", codePath: "/srv/app/functions/echo", layers: layers,
            bootstrapDirectory: "/srv/nimbus/Bootstrap", system: mergedUsr,
            extraRoots: ["/root/.pyenv/versions/3.11.7", "/usr/local", "/"], tmpBytes: 512 * 1_048_576)
    }

    @Test("Sandbox argv: namespaces, read-only code at /var/task, private sized /tmp, never the whole root")
    func sandboxArguments() {
        let argv = Self.sandbox().arguments(running: ["/root/.pyenv/versions/3.11.7/bin/python3", "/var/runtime/python/bootstrap.py"])
        #expect(argv.first == "/usr/bin/bwrap")
        for flag in ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session", "--as-pid-1"] {
            #expect(argv.contains(flag), "\(flag)")
        }
        #expect(!argv.contains("--unshare-net") && !argv.contains("--unshare-all"))
        let joined = argv.joined(separator: " ")
        #expect(joined.contains("--ro-bind /srv/app/functions/echo /var/task"))
        #expect(joined.contains("--ro-bind /srv/nimbus/Bootstrap /var/runtime"))
        #expect(joined.contains("--ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/lib /lib"))
        #expect(joined.contains("--ro-bind /root/.pyenv/versions/3.11.7 /root/.pyenv/versions/3.11.7"))
        #expect(!joined.contains("--ro-bind /usr/local"), "already visible through /usr")
        #expect(!joined.contains("--ro-bind / /"))
        #expect(!joined.contains("--bind "), "nothing of the host is writable")
        #expect(joined.contains("--size 536870912 --tmpfs /tmp"))
        #expect(joined.hasSuffix("--chdir /var/task --remount-ro / -- /root/.pyenv/versions/3.11.7/bin/python3 /var/runtime/python/bootstrap.py"))
    }

    @Test("Layers: one is bound whole at /opt; shared folders are merged; the last layer wins a file")
    func layerMerging() {
        let tree: [String: [String: Bool]] = [
            "/l1": ["python": true, "bin": true, "README": false],
            "/l1/python": ["requests": true, "shared": true],
            "/l1/python/shared": ["a.py": false],
            "/l2": ["python": true, "README": false],
            "/l2/python": ["yaml": true, "shared": true],
            "/l2/python/shared": ["b.py": false],
        ]
        let list: LayerMounts.Lister = { tree[$0] }
        #expect(LayerMounts.binds(layers: [], list: list) == [])
        #expect(LayerMounts.binds(layers: ["/l1"], list: list) == [.init(source: "/l1", destination: "/opt")])
        let merged = LayerMounts.binds(layers: ["/l1", "/l2"], list: list)
        #expect(Set(merged.map { "\($0.source) → \($0.destination)" }) == [
            "/l2/README → /opt/README",
            "/l1/bin → /opt/bin",
            "/l1/python/requests → /opt/python/requests",
            "/l2/python/yaml → /opt/python/yaml",
            "/l1/python/shared/a.py → /opt/python/shared/a.py",
            "/l2/python/shared/b.py → /opt/python/shared/b.py",
        ])
        let shadowed: [String: [String: Bool]] = ["/a": ["x": true], "/b": ["x": false], "/c": ["x": true], "/c/x": [:], "/a/x": [:]]
        #expect(LayerMounts.binds(layers: ["/a", "/b", "/c"], list: { shadowed[$0] }) == [.init(source: "/c/x", destination: "/opt/x")])
    }

    @Test("The wrapper joins every cgroup and sets rlimits, then execs the command under the same pid")
    func wrapperArguments() {
        let wrapper = LaunchWrapper(cgroupProcessFiles: ["/sys/fs/cgroup/memory/a b/w1/cgroup.procs", "/sys/fs/cgroup/pids/it's/cgroup.procs"])
        let argv = wrapper.arguments(running: ["/usr/bin/bwrap", "--", "python3"])
        #expect(argv == [
            "/bin/sh", "-c",
            "echo $$ > '/sys/fs/cgroup/memory/a b/w1/cgroup.procs' && echo $$ > '/sys/fs/cgroup/pids/it'\\''s/cgroup.procs' && exec \"$@\"",
            "nimbus-worker", "/usr/bin/bwrap", "--", "python3",
        ])
        #expect(LaunchWrapper().arguments(running: ["python3"]) == ["python3"])
        let limited = LaunchWrapper(dataLimitBytes: ResourceLimits.dataLimitBytes(memoryMiB: 128))
        #expect(limited.arguments(running: ["python3"])[2] == "ulimit -d 327680 && exec \"$@\"")
    }

    @Test("The wrapper really puts the runtime's pid where it is told before exec")
    func wrapperRuns() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("procs-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: file, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let argv = LaunchWrapper(cgroupProcessFiles: [file]).arguments(running: ["/bin/sh", "-c", "echo $$"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written == printed)
        #expect(written == "\(process.processIdentifier)\n")
    }

    // MARK: launch spec in both modes

    static func function(layers: [String]) -> FunctionConfiguration {
        FunctionConfiguration(
            name: FunctionName("lambda-iso")!, logicalID: "Iso", runtime: "python3.11", handler: "app.handler",
            codePath: "/srv/app/functions/iso", memorySize: 256, ephemeralStorage: 1024, layers: layers)
    }

    static func layerFolder() throws -> String {
        let layer = FileManager.default.temporaryDirectory.appendingPathComponent("layer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(layer)/python/lib/python3.11/site-packages", withIntermediateDirectories: true)
        return layer
    }

    @Test("Sandbox mode: /var/task, /var/runtime and /opt paths, the real interpreter, wrapped by rlimits")
    func sandboxLaunchSpec() throws {
        let layer = try Self.layerFolder()
        defer { try? FileManager.default.removeItem(atPath: layer) }
        let python = PythonInstallation(executable: "/root/.pyenv/versions/3.11.7/bin/python3", roots: ["/root/.pyenv/versions/3.11.7"], version: "3.11")
        let plan = IsolationPlan.sandbox(Bubblewrap(path: "/usr/bin/bwrap", version: "0.8.0"), python: python, limits: .rlimits)
        #expect(plan.summary == "isolation: sandbox (bubblewrap 0.8.0); limits: rlimits (RLIMIT_DATA) + /proc memory watchdog (no writable cgroup)")
        let launcher = RuntimeLauncher(configuration: WorkersConfiguration(), bootstrapDirectory: "/srv/nimbus/Bootstrap", isolation: plan)
        let spec = try launcher.launchSpec(for: Self.function(layers: [layer]), worker: WorkerID(1), runtimeAPI: "127.0.0.1:9001")
        #expect(spec.sandboxed)
        #expect(spec.environment["LAMBDA_TASK_ROOT"] == "/var/task")
        #expect(spec.environment["LAMBDA_RUNTIME_DIR"] == "/var/runtime")
        #expect(spec.environment["HOME"] == "/tmp")
        #expect(spec.environment["PYTHONPATH"] == "/var/task:/opt/python:/opt/python/lib/python3.11/site-packages:/opt")
        #expect(spec.environment["PATH"]?.hasPrefix("/root/.pyenv/versions/3.11.7/bin:") == true)
        #expect(spec.executable == "/bin/sh")
        #expect(spec.arguments[1] == "ulimit -d \((2 * 256 + 64) * 1024) && exec \"$@\"")
        let inner = Array(spec.arguments.drop(while: { $0 != "/usr/bin/bwrap" }))
        #expect(inner.suffix(2) == ["/root/.pyenv/versions/3.11.7/bin/python3", "/var/runtime/python/bootstrap.py"])
        let joined = inner.joined(separator: " ")
        #expect(joined.contains("--ro-bind \(layer) /opt"))
        #expect(joined.contains("--size \(1024 * 1_048_576) --tmpfs /tmp"))
    }

    @Test("Process mode: host paths, the same PYTHONPATH shape, no sandbox")
    func processLaunchSpec() throws {
        let layer = try Self.layerFolder()
        defer { try? FileManager.default.removeItem(atPath: layer) }
        var configuration = WorkersConfiguration()
        configuration.pythonExecutable = "/bin/sh"  // any executable: the spec is only built
        let launcher = RuntimeLauncher(
            configuration: configuration, bootstrapDirectory: "/srv/nimbus/Bootstrap", isolation: .process(limits: .rlimits))
        let spec = try launcher.launchSpec(for: Self.function(layers: [layer]), worker: WorkerID(1), runtimeAPI: "127.0.0.1:9001")
        #expect(!spec.sandboxed)
        #expect(spec.environment["LAMBDA_TASK_ROOT"] == "/srv/app/functions/iso")
        #expect(spec.environment["PYTHONPATH"] == "/srv/app/functions/iso:\(layer)/python:\(layer)/python/lib/python3.11/site-packages:\(layer)")
        #expect(!spec.arguments.contains("/usr/bin/bwrap"))
        #expect(spec.arguments.suffix(2) == ["/bin/sh", "/srv/nimbus/Bootstrap/python/bootstrap.py"])
    }

    @Test("A sandbox that was asked for but is missing fails every launch, clearly")
    func unavailableSandbox() throws {
        let plan = IsolationPlan.unavailable("bubblewrap (bwrap) is not installed", limits: .rlimits)
        #expect(plan.summary.hasPrefix("isolation: sandbox UNAVAILABLE (bubblewrap (bwrap) is not installed)"))
        let launcher = RuntimeLauncher(configuration: WorkersConfiguration(), bootstrapDirectory: "/b", isolation: plan)
        #expect(throws: RuntimeLauncher.LaunchError.self) {
            try launcher.launchSpec(for: Self.function(layers: []), worker: WorkerID(1), runtimeAPI: "127.0.0.1:1")
        }
    }

    @Test("This host's summary names an isolation and a limits tier")
    func hostDescription() {
        var configuration = WorkersConfiguration()
        configuration.isolation = .process
        let summary = IsolationProbe.describe(configuration)
        #expect(summary.hasPrefix("isolation: process; limits: "))
        #expect(summary.contains("cgroup v") || summary.contains("rlimits"))
    }
}
