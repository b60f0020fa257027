import Dispatch
import Foundation
import Logging
import NimbusCore
import Synchronization

/// The DynamoDB-compatible service: JSON 1.0 protocol requests in, AWS-shaped responses out, items
/// in one SQLite database under `directory`. The platform's AWS endpoint calls `handle` for every
/// request whose `X-Amz-Target` starts with `DynamoDB_20120810.` (or, for DynamoDB Streams,
/// `DynamoDBStreams_20120810.`).
///
/// Engines share the database. Requests that may change something go to the writer
/// (`WriteQueue`: one serial queue, concurrent item writes committed together). Reads run on the
/// caller's thread on read-only connections, one per core, each under its own lock: in WAL mode
/// they see the last commit and never wait for the writer's fsync, and they skip two thread hops.
/// They are short (a point lookup, or one page of at most 1 MB) and read through SQLite's and the
/// OS's caches.
public final class DynamoService: Sendable {
    static let targetPrefix = "DynamoDB_20120810."
    /// DynamoDB Streams' operations share the service, its database and its writer.
    static let streamsTargetPrefix = "DynamoDBStreams_20120810."

    private let writer: WriteQueue
    private let readers: [ReaderSlot]
    private let nextReader = Atomic<Int>(0)
    private let logger: Logger
    private let requestIDs = RequestIDGenerator()

    private struct Reader {
        var engine: DynamoEngine
        /// The writer's `catalogVersion` this engine's catalog was read at.
        var catalogVersion: UInt64
    }

    private final class ReaderSlot: Sendable {
        let reader: Mutex<Reader>
        init(_ reader: sending Reader) { self.reader = Mutex(reader) }
    }

    /// Creates `directory` if needed and opens (or creates) `dynamodb.sqlite3` in it.
    ///
    /// - Parameter flushEveryCommit: acknowledge a write only once its commit is on disk
    ///   (`synchronous=FULL`: it survives a power cut); otherwise once SQLite has handed it to the
    ///   operating system (`synchronous=NORMAL`: it survives a crash of this process, and a power
    ///   cut may roll back the last commits, never tear one).
    public convenience init(directory: String, logger: Logger, flushEveryCommit: Bool = true) throws {
        try self.init(
            directory: directory, logger: logger, flushEveryCommit: flushEveryCommit,
            now: { Date().timeIntervalSince1970 })
    }

    /// `now` supplies wall-clock epoch seconds (injected by tests).
    init(directory: String, logger: Logger, flushEveryCommit: Bool = true, now: @escaping @Sendable () -> Double) throws {
        self.logger = logger
        writer = WriteQueue(
            engine: try DynamoEngine(directory: directory, logger: logger, now: now, flushEveryCommit: flushEveryCommit))
        let catalogVersion = writer.catalogVersion
        readers = try (0..<max(2, ProcessInfo.processInfo.activeProcessorCount)).map { _ in
            let engine = try DynamoEngine(directory: directory, logger: logger, now: now, readOnly: true)
            return ReaderSlot(Reader(engine: engine, catalogVersion: catalogVersion))
        }
    }

    /// Runs one request and calls `reply` once with its response, which is never an exception:
    /// every failure becomes DynamoDB's error response. Point reads reply at once, on the caller's
    /// thread; page reads (Query, Scan, BatchGetItem, PartiQL SELECTs) reply from a global queue, so a 1 MB page
    /// never holds up the caller's event loop; everything else from the writer's queue.
    public func handle(target: String, body: [UInt8], reply: @escaping @Sendable (DynamoResponse) -> Void) {
        let requestID = requestIDs.next()
        let logger = self.logger
        let respond: @Sendable (Result<JSON, DynamoError>) -> Void = { result in
            switch result {
            case .success(let json):
                reply(DynamoResponse(status: 200, body: JSONWriter.serialize(json), requestID: requestID))
            case .failure(let error):
                if error.code == .internalServerError {
                    logger.error("DynamoDB request failed", metadata: ["dynamodb.target": "\(target)", "error": "\(error.message)"])
                }
                reply(DynamoResponse(status: error.code.status, body: error.responseBody, requestID: requestID))
            }
        }
        switch Self.call(target: target, body: body) {
        case .failure(let error):
            respond(.failure(error))
        case .success(let call):
            logger.trace("DynamoDB request", metadata: ["dynamodb.operation": "\(call.name)", "aws.request_id": "\(requestID)"])
            if DynamoEngine.isPageRead(call) {
                DispatchQueue.global().async { respond(self.read(call)) }
            } else if DynamoEngine.reads.contains(call.name) {
                respond(read(call))
            } else {
                writer.run(call, reply: respond)
            }
        }
    }

    /// `handle(target:body:reply:)` for async callers.
    public func handle(target: String, body: [UInt8]) async -> DynamoResponse {
        await withCheckedContinuation { continuation in
            handle(target: target, body: body) { continuation.resume(returning: $0) }
        }
    }

    /// Idempotent create-or-update of a table declared in a template.
    public func provision(_ table: TableDefinition) throws {
        let result = writer.sync(catalogChange: true) { engine in
            Result { () throws(DynamoError) in try engine.provision(table) }
        }
        try result.get()
    }

    /// Closes the database; later requests fail with InternalServerError.
    public func close() {
        writer.sync(catalogChange: false) { $0.close() }
        for slot in readers { slot.reader.withLock { $0.engine.close() } }
    }

    /// Deletes items whose TTL has passed; returns how many.
    func sweepExpired(now: Int64) async -> Int {
        let logger = self.logger
        return await writer.async { engine in
            do {
                return try engine.sweepExpired(now: now)
            } catch {
                logger.error("TTL sweep failed", metadata: ["error": "\(error)"])
                return 0
            }
        }
    }

    /// The operation a request names, with its parsed body.
    private static func call(target: String, body: [UInt8]) -> Result<DynamoEngine.Call, DynamoError> {
        Result { () throws(DynamoError) -> DynamoEngine.Call in
            let operations = target.hasPrefix(streamsTargetPrefix) ? DynamoEngine.streamOperations : DynamoEngine.operations
            let prefix = target.hasPrefix(streamsTargetPrefix) ? streamsTargetPrefix : targetPrefix
            guard target.hasPrefix(prefix) else { throw DynamoError(.unknownOperation, "Unknown operation: \(target)") }
            let name = String(target.dropFirst(prefix.count))
            guard let operation = operations[name] else {
                throw DynamoError(.unknownOperation, "Unknown operation: \(target)")
            }
            let json: JSON
            do throws(JSONParser.Failure) {
                json = body.isEmpty ? .object([:]) : try JSONParser.parse(body)
            } catch {
                throw DynamoError.serialization(error.message)
            }
            return DynamoEngine.Call(name: name, operation: operation, request: try RequestFields(json: json))
        }
    }

    /// Runs a read on a free reader (or, when all are busy, waits for one).
    private func read(_ call: DynamoEngine.Call) -> Result<JSON, DynamoError> {
        let version = writer.catalogVersion
        for slot in readers {
            if let result = slot.reader.withLockIfAvailable({ Self.read(call, on: &$0, catalogVersion: version) }) {
                return result
            }
        }
        let slot = readers[nextReader.wrappingAdd(1, ordering: .relaxed).oldValue % readers.count]
        return slot.reader.withLock { Self.read(call, on: &$0, catalogVersion: version) }
    }

    /// Runs a read on `reader`, first catching up with the writer's catalog if it has changed.
    private static func read(_ call: DynamoEngine.Call, on reader: inout Reader, catalogVersion: UInt64) -> Result<JSON, DynamoError> {
        if reader.catalogVersion != catalogVersion {
            do throws(SQLiteError) {
                try reader.engine.reloadCatalog()
                reader.catalogVersion = catalogVersion
            } catch {
                return .failure(error.dynamoError)
            }
        }
        return Result { () throws(DynamoError) -> JSON in try call.operation(reader.engine)(call.request) }
    }
}
