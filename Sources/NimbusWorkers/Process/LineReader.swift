import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a pipe on a thread of its own and hands over complete lines.
///
/// A dedicated thread (not the cooperative pool) because reads block; the thread ends when
/// every writer has closed the pipe, i.e. when the worker's process group is gone.
enum LineReader {
    static let maximumLineLength = 256 * 1024

    /// `onEnd` runs just before the descriptor is closed.
    static func start(
        fileDescriptor: Int32, onLine: @escaping @Sendable (String) -> Void, onEnd: @escaping @Sendable () -> Void
    ) {
        let thread = Thread {
            defer {
                onEnd()
                close(fileDescriptor)
            }
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: buffer[0..<count])
                var start = 0
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(String(decoding: pending[start..<newline], as: UTF8.self))
                    start = newline + 1
                }
                pending.removeFirst(start)
                if pending.count > maximumLineLength {
                    onLine(String(decoding: pending, as: UTF8.self))
                    pending.removeAll()
                }
            }
            if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
        }
        thread.name = "nimbus-worker-log"
        thread.start()
    }
}
