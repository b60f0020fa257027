import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Plain system calls on cgroup filesystem files: one `write(2)` per value (the kernel parses
/// each write as a whole), no temporary files, no creation.
enum CgroupFiles {
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var operation: String
        var code: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    static func write(_ value: String, to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", code: errno) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Failure(path: path, operation: "write", code: errno) }
    }

    /// Creates `path`; an existing directory is fine.
    static func makeDirectory(_ path: String) throws(Failure) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Failure(path: path, operation: "mkdir", code: errno) }
    }

    static func removeDirectory(_ path: String) -> Bool {
        rmdir(path) == 0 || errno == ENOENT
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The pids listed in a `cgroup.procs` file (empty when it is gone).
    static func processes(in directory: String) -> [pid_t] {
        (read("\(directory)/cgroup.procs") ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    static func subdirectories(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory) && isDirectory.boolValue
        } ?? []
    }
}
