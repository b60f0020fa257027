import Foundation

/// The host's system folders as a sandbox shows them: read-only binds of real folders, and
/// the same symlinks where the host has them (merged /usr: `/bin -> usr/bin`).
struct SandboxSystem: Sendable, Equatable {
    enum Entry: Sendable, Equatable {
        case bind(String)
        case bindIfPresent(String)
        case symlink(target: String, path: String)
    }

    var entries: [Entry]

    static let folders = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]

    /// What this host has of `folders`.
    static func host() -> SandboxSystem {
        var entries: [Entry] = []
        let files = FileManager.default
        for folder in folders {
            if let target = try? files.destinationOfSymbolicLink(atPath: folder) {
                entries.append(.symlink(target: target, path: folder))
            } else if files.fileExists(atPath: folder) {
                entries.append(.bind(folder))
            }
        }
        // A resolv.conf that points outside /etc (systemd-resolved) would dangle without its target.
        if let target = try? files.destinationOfSymbolicLink(atPath: "/etc/resolv.conf"), target.hasPrefix("/") {
            entries.append(.bindIfPresent(target))
        }
        return SandboxSystem(entries: entries)
    }

    /// Whether `path` is already visible through a bound folder.
    func shows(_ path: String) -> Bool {
        entries.contains { entry in
            guard case .bind(let folder) = entry else { return false }
            return path == folder || path.hasPrefix(folder + "/")
        }
    }
}
