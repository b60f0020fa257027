import Foundation

/// The tiny shell step in front of every limited worker: it joins the worker's cgroups and sets
/// its rlimits, then `exec`s the real command under the same pid. Joining before the exec means
/// no line of user code ever runs outside its limits (moving the pid after spawn would race).
/// The shell is the process group leader and stays so across the exec.
struct LaunchWrapper: Sendable, Equatable {
    static let shell = "/bin/sh"

    /// `cgroup.procs` files to join, in order.
    var cgroupProcessFiles: [String] = []
    /// RLIMIT_DATA in bytes, when rlimits stand in for a cgroup.
    var dataLimitBytes: Int?

    var isEmpty: Bool { cgroupProcessFiles.isEmpty && dataLimitBytes == nil }

    /// The argv that runs `command` inside the limits (`command` itself when there are none).
    func arguments(running command: [String]) -> [String] {
        guard !isEmpty else { return command }
        var steps = cgroupProcessFiles.map { "echo $$ > \(Self.quote($0))" }
        // dash and bash take `ulimit -d` in KiB.
        if let dataLimitBytes { steps.append("ulimit -d \(max(dataLimitBytes / 1024, 1))") }
        steps.append("exec \"$@\"")
        return [Self.shell, "-c", steps.joined(separator: " && "), "nimbus-worker"] + command
    }

    /// Single-quotes `text` for sh.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
