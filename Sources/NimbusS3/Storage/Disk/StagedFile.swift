#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written in a bucket's staging directory. It becomes visible only by `rename`
/// after `finish`: a crash or failed upload leaves a temp file that startup sweeps away (after the
/// object journal has replayed any `publish` record naming it), never a half-written object.
struct StagedFile: Sendable {
    let path: String
    let descriptor: Int32

    static func create(in directory: String) throws -> StagedFile {
        let name = "tmp-" + String(UInt64.random(in: .min ... .max), radix: 36) + "-"
            + String(UInt64.random(in: .min ... .max), radix: 36)
        let path = directory + "/" + name
        return StagedFile(path: path, descriptor: try POSIX.openForWriting(path))
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try POSIX.writeAll(descriptor, bytes, path: path)
    }

    func append(_ bytes: [UInt8]) throws {
        try POSIX.writeAll(descriptor, bytes, path: path)
    }

    /// The file's name in its staging directory (what a journal `publish` record names).
    var name: String { String(path[path.index(after: path.lastIndex(of: "/")!)...]) }

    /// Whether `name` is one `create` could have made (checked before replaying a record naming it).
    static func isValidName(_ name: String) -> Bool {
        name.hasPrefix("tmp-") && !name.contains("/") && name.utf8.count < 64
    }

    /// Appends `body` (what is left of it) and the metadata trailer in one write, then closes the
    /// file (see `close(durable:)`). On failure the file is deleted.
    func finish(with metadata: ObjectMetadata, after body: [UInt8] = [], durable: Bool) throws {
        try finish(writing: body + ObjectFile.trailer(for: metadata), durable: durable)
    }

    /// Appends the last `bytes` in one write and closes the file (see `close(durable:)`). On failure
    /// the file is deleted.
    func finish(writing bytes: [UInt8], durable: Bool) throws {
        do {
            try append(bytes)
        } catch {
            discard()
            throw error
        }
        try close(durable: durable)
    }

    /// Flushes the file to disk when `durable`, and closes it. On failure the file is deleted.
    func close(durable: Bool) throws {
        if durable {
            do {
                try POSIX.sync(descriptor, path: path)
            } catch {
                discard()
                throw error
            }
        }
        _ = systemClose(descriptor)
    }

    /// Writes a small file atomically: staged, flushed when `durable`, then renamed to `name` in
    /// `directory`, whose entry is flushed too.
    static func write(_ bytes: [UInt8], named name: String, in directory: String, staging: String, durable: Bool) throws {
        let staged = try create(in: staging)
        do {
            try staged.append(bytes)
        } catch {
            staged.discard()
            throw error
        }
        try staged.close(durable: durable)
        try POSIX.rename(staged.path, directory + "/" + name)
        if durable { try POSIX.syncDirectory(directory) }
    }

    /// Abandons a file that is still open (failed upload): close and delete.
    func discard() {
        _ = systemClose(descriptor)
        _ = try? POSIX.remove(path)
    }

    private func systemClose(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #elseif canImport(Musl)
        Musl.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }
}
