import Foundation
import Logging
import ServiceLifecycle

/// Periodically deletes items whose TTL attribute (epoch seconds) has passed, for every table with
/// TTL enabled. Sleeps on an injected clock and reads the wall time from an injected function, so
/// tests drive it without waiting. Stops on graceful shutdown.
public struct TimeToLiveService<C: Clock>: Service where C.Duration == Duration {
    private let dynamo: DynamoService
    private let interval: Duration
    private let clock: C
    private let now: @Sendable () -> Date
    private let logger: Logger

    public init(dynamo: DynamoService, interval: Duration = .seconds(1), clock: C, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.dynamo = dynamo
        self.interval = interval
        self.clock = clock
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                do {
                    try await clock.sleep(for: interval)
                } catch {
                    return  // Cancelled.
                }
            }
        }
    }

    /// One sweep at the current wall time; returns how many items expired.
    @discardableResult
    public func sweep() async -> Int {
        let seconds = Int64(now().timeIntervalSince1970.rounded(.down))
        let deleted = await dynamo.sweepExpired(now: seconds)
        if deleted > 0 { logger.debug("DynamoDB TTL sweep", metadata: ["dynamodb.expired": "\(deleted)"]) }
        return deleted
    }
}

extension TimeToLiveService where C == ContinuousClock {
    public init(dynamo: DynamoService, interval: Duration = .seconds(1), logger: Logger) {
        self.init(dynamo: dynamo, interval: interval, clock: ContinuousClock(), logger: logger)
    }
}
