import Foundation

/// The host's bubblewrap, when it can actually build a sandbox here (it needs namespaces that
/// containers and hardened kernels may deny, so being installed is not enough).
struct Bubblewrap: Sendable, Equatable {
    var path: String
    /// `0.8.0`.
    var version: String

    /// Finds `bwrap` on `searchPath` and proves it works with `bwrap --ro-bind / / true`.
    static func probe(searchPath: String) -> Result<Bubblewrap, ProbeFailure> {
        guard let path = try? RuntimeLauncher.resolve("bwrap", path: searchPath) else {
            return .failure(ProbeFailure("bubblewrap (bwrap) is not installed"))
        }
        let trial = run(path, ["--ro-bind", "/", "/", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--proc", "/proc", "--dev", "/dev", "true"])
        guard trial.status == 0 else {
            let detail = trial.output.trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure(ProbeFailure("bubblewrap cannot create namespaces here\(detail.isEmpty ? "" : ": \(detail)")"))
        }
        let version = run(path, ["--version"]).output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return .success(Bubblewrap(path: path, version: version ?? "unknown"))
    }

    struct ProbeFailure: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private static func run(_ path: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return (-1, "cannot run \(path)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
