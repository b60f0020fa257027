import Foundation
import NimbusCore
import Synchronization

/// Keeps the most recent worker output in memory and echoes it to the console, prefixed with
/// the function name and request id. (The log store replaces the memory part later.)
public final class MemoryLogSink: LogSink {
    private struct Ring {
        var records: [LogRecord] = []
        var start = 0
    }

    private let capacity: Int
    private let echo: Bool
    private let ring = Mutex(Ring())

    public init(capacity: Int, echo: Bool) {
        self.capacity = max(capacity, 1)
        self.echo = echo
    }

    public func record(_ record: LogRecord) {
        self.record(contentsOf: [record])
    }

    public func record(contentsOf records: [LogRecord]) {
        ring.withLock { ring in
            for record in records {
                if ring.records.count < capacity {
                    ring.records.append(record)
                } else {
                    ring.records[ring.start] = record
                    ring.start = (ring.start + 1) % capacity
                }
            }
        }
        guard echo else { return }
        // One write(2) for the batch, with no Foundation buffer in between.
        var text = ""
        for record in records {
            let request = record.requestID.map { " \($0)" } ?? ""
            text += "[\(record.function)\(request)] \(record.message)\n"
        }
        text.withUTF8 { bytes in _ = write(STDOUT_FILENO, bytes.baseAddress, bytes.count) }
    }

    /// Kept records, oldest first, optionally only one function's.
    public func records(function: FunctionName? = nil) -> [LogRecord] {
        let all = ring.withLock { Array($0.records[$0.start...] + $0.records[..<$0.start]) }
        guard let function else { return all }
        return all.filter { $0.function == function }
    }
}
