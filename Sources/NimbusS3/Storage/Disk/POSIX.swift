#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, with its errno and what it was doing.
struct POSIXFailure: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var errno: Int32

    var description: String { "\(operation)(\(path)): \(String(cString: strerror(errno)))" }
    var isNotFound: Bool { errno == ENOENT || errno == ENOTDIR }
}

/// The handful of system calls storage needs, with EINTR and short writes handled.
///
/// Plain POSIX rather than Foundation's `FileManager`: we need `fsync`, `O_EXCL`, `pread` and
/// `rename` semantics exactly, and they are cheaper on the request path.
enum POSIX {
    static func openForWriting(_ path: String) throws -> Int32 {
        let fd = retrying { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw POSIXFailure(operation: "open", path: path, errno: errno) }
        return fd
    }

    /// `nil` when the file does not exist.
    static func openForReading(_ path: String) throws -> Int32? {
        let fd = retrying { open(path, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw POSIXFailure(operation: "open", path: path, errno: errno)
        }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(operation: "write", path: path, errno: errno)
            }
            offset += written
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, path: String) throws
        -> Int
    {
        var total = 0
        while total < buffer.count {
            let count = pread(fd, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(operation: "pread", path: path, errno: errno)
            }
            if count == 0 { break }
            total += count
        }
        return total
    }

    static func fileSize(_ fd: Int32, path: String) throws -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw POSIXFailure(operation: "fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    static func sync(_ fd: Int32, path: String) throws {
        guard retrying({ fsync(fd) }) == 0 else { throw POSIXFailure(operation: "fsync", path: path, errno: errno) }
    }

    /// Starts writing a file range back to disk without waiting for it, so that the `fsync` of a
    /// large file at the end has little left to do (Linux `sync_file_range`; a no-op elsewhere).
    static func startWriteback(_ fd: Int32, offset: Int64, length: Int64) {
        _ = syncFileRange?(fd, offset, length, 2 /* SYNC_FILE_RANGE_WRITE */)
    }

    /// Swift's Glibc module leaves `sync_file_range` out (it needs `_GNU_SOURCE`): found at run time.
    private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Makes a directory entry change (create, rename, unlink) durable.
    static func syncDirectory(_ path: String) throws {
        let fd = retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw POSIXFailure(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        try sync(fd, path: path)
    }

    static func rename(_ from: String, _ to: String) throws {
        #if canImport(Glibc) || canImport(Musl)
        let result = Glibc.rename(from, to)
        #else
        let result = Darwin.rename(from, to)
        #endif
        guard result == 0 else { throw POSIXFailure(operation: "rename", path: "\(from) -> \(to)", errno: errno) }
    }

    /// Removes a file; `false` when it did not exist.
    @discardableResult
    static func remove(_ path: String) throws -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw POSIXFailure(operation: "unlink", path: path, errno: errno)
    }

    /// Creates a directory; `false` when it already existed.
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        throw POSIXFailure(operation: "mkdir", path: path, errno: errno)
    }

    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            try makeDirectory(current)
        }
    }

    /// Entry names of a directory (without `.` and `..`); `nil` when it does not exist.
    static func directoryEntries(_ path: String) throws -> [String]? {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw POSIXFailure(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Deletes a directory tree (bucket deletion, aborted uploads). Not on any hot path.
    static func removeTree(_ path: String) throws {
        guard let entries = try directoryEntries(path) else { return }
        for name in entries {
            let child = path + "/" + name
            if isDirectory(child) {
                try removeTree(child)
            } else {
                try remove(child)
            }
        }
        if rmdir(path) != 0 && errno != ENOENT {
            throw POSIXFailure(operation: "rmdir", path: path, errno: errno)
        }
    }

    private static func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result < 0 && errno == EINTR { continue }
            return result
        }
    }
}
