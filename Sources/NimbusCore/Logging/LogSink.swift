import Foundation

/// One line a worker wrote, or one event the platform records about a function.
public struct LogRecord: Sendable {
    public enum Stream: String, Sendable { case stdout, stderr, platform }

    public var timestamp: Date
    public var function: FunctionName
    public var requestID: InvocationID?
    public var workerID: WorkerID?
    public var stream: Stream
    public var message: String

    public init(
        timestamp: Date = Date(), function: FunctionName, requestID: InvocationID?, workerID: WorkerID?,
        stream: Stream, message: String
    ) {
        self.timestamp = timestamp
        self.function = function
        self.requestID = requestID
        self.workerID = workerID
        self.stream = stream
        self.message = message
    }
}

/// Where worker output goes. The foundation keeps it in memory and echoes it;
/// the log store implements the same protocol.
public protocol LogSink: Sendable {
    func record(_ record: LogRecord)
    /// Several records at once, in order (END and REPORT close every invocation together).
    func record(contentsOf records: [LogRecord])
}

extension LogSink {
    public func record(contentsOf records: [LogRecord]) {
        for each in records { record(each) }
    }
}
