import Foundation

/// The bubblewrap command line that runs one worker the way Lambda lays out its execution
/// environment: code read-only at /var/task, layers merged read-only at /opt, the runtime at
/// /var/runtime, the host's system folders and python read-only, a private /tmp, everything else
/// (the data directory, other functions' code, the user's home) absent. Pure: tests check argv.
struct SandboxCommand: Sendable, Equatable {
    static let taskRoot = "/var/task"
    static let runtimeRoot = "/var/runtime"
    static let layerRoot = "/opt"

    var bubblewrap: String
    var codePath: String
    var layers: [LayerMounts.Bind]
    var bootstrapDirectory: String
    var system: SandboxSystem
    /// Host folders shown read-only at their own path (the python installation).
    var extraRoots: [String]
    var tmpBytes: Int

    func arguments(running command: [String]) -> [String] {
        var arguments = [
            bubblewrap,
            "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            // The network stays shared: workers reach the Runtime API and the AWS endpoint on 127.0.0.1.
            "--die-with-parent", "--new-session",
            // The runtime is pid 1 of its namespace: when it exits, the kernel kills everything it
            // left behind; and its parent is outside (bootstrap.py treats a parent pid 1 as orphaned).
            "--as-pid-1",
        ]
        for entry in system.entries {
            switch entry {
            case .bind(let path): arguments += ["--ro-bind", path, path]
            case .bindIfPresent(let path): arguments += ["--ro-bind-try", path, path]
            case .symlink(let target, let path): arguments += ["--symlink", target, path]
            }
        }
        // Never "/": showing the whole host would defeat the sandbox.
        for root in extraRoots where root != "/" && !system.shows(root) { arguments += ["--ro-bind", root, root] }
        arguments += ["--proc", "/proc", "--dev", "/dev", "--size", String(tmpBytes), "--tmpfs", "/tmp"]
        arguments += ["--ro-bind", codePath, Self.taskRoot, "--ro-bind", bootstrapDirectory, Self.runtimeRoot]
        for layer in layers { arguments += ["--ro-bind", layer.source, layer.destination] }
        arguments += ["--chdir", Self.taskRoot, "--remount-ro", "/", "--"]
        return arguments + command
    }
}
