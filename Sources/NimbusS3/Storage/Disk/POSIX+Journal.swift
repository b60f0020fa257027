#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the object journal needs beyond the object files': positioned writes into a
/// preallocated file, `fdatasync`, `syncfs` and an exclusive lock.
extension POSIX {
    static func openForUpdate(_ path: String, create: Bool) throws -> Int32 {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw POSIXFailure(operation: "open", path: path, errno: errno) }
        return fd
    }

    static func openDirectory(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXFailure(operation: "open", path: path, errno: errno) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let written = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXFailure(operation: "pwrite", path: path, errno: errno)
                }
                done += written
            }
        }
    }

    /// Flushes a file's data (and only the metadata needed to read it back): over an
    /// already-written region of a file, no file-system journal commit, just the data and a
    /// device cache flush.
    static func dataSync(_ fd: Int32, path: String) throws {
        while true {
            #if os(Linux)
            let result = fdatasync(fd)
            #else
            let result = fsync(fd)
            #endif
            if result == 0 { return }
            if errno == EINTR { continue }
            throw POSIXFailure(operation: "fdatasync", path: path, errno: errno)
        }
    }

    /// Makes everything written to the file system holding `fd` durable: one commit for all the
    /// files and directory entries a journal checkpoint covers (Linux `syncfs`; `sync` elsewhere).
    static func syncFileSystem(_ fd: Int32, path: String) throws {
        guard let syncfs = syncFileSystemCall else {
            #if canImport(Glibc)
            Glibc.sync()
            #elseif canImport(Musl)
            Musl.sync()
            #else
            Darwin.sync()
            #endif
            return
        }
        guard syncfs(fd) == 0 else { throw POSIXFailure(operation: "syncfs", path: path, errno: errno) }
    }

    /// Swift's Glibc module leaves `syncfs` out (it needs `_GNU_SOURCE`): found at run time.
    private static let syncFileSystemCall: (@convention(c) (Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Takes an exclusive `flock` on `fd`, waiting up to `timeout` seconds for another holder
    /// (a store on the same directory that is shutting down); false when it could not.
    static func lockExclusively(_ fd: Int32, timeout: Double) -> Bool {
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, waited < timeout else { return false }
            usleep(10_000)
            waited += 0.01
        }
        return true
    }

    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }
}
