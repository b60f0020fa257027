import Foundation
import Synchronization

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

    /// The whole file (cgroup files are small: at most a few KB).
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += chunk[..<count]
        }
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

/// A cgroup file holding one decimal number (`memory.peak`, `memory.max_usage_in_bytes`), kept
/// open and re-read with `pread`: REPORT reads the peak after every invocation, and reopening
/// costs a path walk through cgroupfs each time.
final class CgroupCounterFile: Sendable {
    let path: String
    private let descriptor = Mutex<Int32>(-1)

    init(path: String) {
        self.path = path
    }

    deinit { close() }

    /// The current value; nil when the file cannot be read (the cgroup is gone).
    func read() -> Int? {
        descriptor.withLock { fd -> Int? in
            if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
            guard fd >= 0 else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer -> Int? in
                let count = pread(fd, buffer.baseAddress, buffer.count, 0)
                guard count > 0 else { return nil }
                let digits = buffer[..<count].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                guard !digits.isEmpty else { return nil }
                return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            }
        }
    }

    func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
}
