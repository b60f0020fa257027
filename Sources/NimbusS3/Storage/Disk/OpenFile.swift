#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open read-only descriptor that closes itself when the last reference goes away: the on-disk
/// ``ObjectReader``.
///
/// A GET reads metadata and body through one descriptor, so a concurrent overwrite (a rename onto
/// the path) cannot mix two versions in one response; the response body holds the descriptor until
/// it has been streamed, or dropped.
final class OpenFile: ObjectReader {
    let descriptor: Int32
    let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws {
        let count = try POSIX.readFully(descriptor, into: buffer, at: offset, path: path)
        guard count == buffer.count else { throw ObjectFile.Corrupt(path: path) }
    }
}
