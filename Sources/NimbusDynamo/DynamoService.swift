import Dispatch
import Foundation
import Logging
import NimbusCore

/// The DynamoDB-compatible service: JSON 1.0 protocol requests in, AWS-shaped responses out, items
/// in one SQLite database under `directory`. The platform's AWS endpoint calls `handle` for every
/// request whose `X-Amz-Target` starts with `DynamoDB_20120810.`.
///
/// All work runs on one serial queue: SQLite's connection, the table catalog and the expression
/// cache are single-threaded, and blocking file I/O (fsync on commit) stays off Swift's
/// cooperative thread pool.
public final class DynamoService: Sendable {
    static let targetPrefix = "DynamoDB_20120810."

    private let queue: DispatchQueue
    private let engine: EngineBox
    private let logger: Logger
    private let requestIDs = RequestIDGenerator()

    /// Creates `directory` if needed and opens (or creates) `dynamodb.sqlite3` in it.
    public convenience init(directory: String, logger: Logger) throws {
        try self.init(directory: directory, logger: logger, now: { Date().timeIntervalSince1970 })
    }

    /// `now` supplies wall-clock epoch seconds (injected by tests).
    init(directory: String, logger: Logger, now: @escaping @Sendable () -> Double) throws {
        self.logger = logger
        self.queue = DispatchQueue(label: "nimbus.dynamodb")
        self.engine = EngineBox(try DynamoEngine(directory: directory, logger: logger, now: now))
    }

    /// Runs one request. Never throws: every failure becomes DynamoDB's error response.
    public func handle(target: String, body: [UInt8]) async -> DynamoResponse {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.handleNow(target: target, body: body))
            }
        }
    }

    /// Idempotent create-or-update of a table declared in a template.
    public func provision(_ table: TableDefinition) throws {
        let result: Result<Void, DynamoError> = queue.sync {
            Result { () throws(DynamoError) in try engine.value.provision(table) }
        }
        try result.get()
    }

    /// Closes the database; later requests fail with InternalServerError.
    public func close() {
        queue.sync { engine.value.close() }
    }

    /// Deletes items whose TTL has passed; returns how many.
    func sweepExpired(now: Int64) async -> Int {
        await withCheckedContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try self.engine.value.sweepExpired(now: now))
                } catch {
                    self.logger.error("TTL sweep failed", metadata: ["error": "\(error)"])
                    continuation.resume(returning: 0)
                }
            }
        }
    }

    private func handleNow(target: String, body: [UInt8]) -> DynamoResponse {
        let requestID = requestIDs.next()
        let operationName = target.hasPrefix(Self.targetPrefix) ? String(target.dropFirst(Self.targetPrefix.count)) : nil
        do {
            guard let operationName, let operation = DynamoEngine.operations[operationName] else {
                throw DynamoError(.unknownOperation, "Unknown operation: \(target)")
            }
            let json: JSON
            do {
                json = body.isEmpty ? .object([:]) : try JSONParser.parse(body)
            } catch {
                throw DynamoError.serialization(error.message)
            }
            logger.trace("DynamoDB request", metadata: ["dynamodb.operation": "\(operationName)", "aws.request_id": "\(requestID)"])
            let result = try operation(engine.value)(try RequestFields(json: json))
            return DynamoResponse(status: 200, body: JSONWriter.serialize(result), requestID: requestID)
        } catch let error as DynamoError {
            if error.code == .internalServerError {
                logger.error("DynamoDB request failed", metadata: ["dynamodb.operation": "\(operationName ?? target)", "error": "\(error.message)"])
            }
            return DynamoResponse(status: error.code.status, body: error.responseBody, requestID: requestID)
        } catch {
            let failure = DynamoError(.internalServerError, "Internal server error")
            return DynamoResponse(status: 500, body: failure.responseBody, requestID: requestID)
        }
    }
}

/// Holds the engine; only ever touched on `DynamoService.queue`, which is what makes sharing it
/// across threads safe.
private final class EngineBox: @unchecked Sendable {
    let value: DynamoEngine

    init(_ value: DynamoEngine) {
        self.value = value
    }
}
