import Dispatch
import Synchronization

/// The writer: one engine on one serial queue, where every request that may change something runs,
/// so blocking fsyncs stay off Swift's cooperative pool and NIO's event loops.
///
/// Group commit: the requests that arrive while the queue is busy (typically during the previous
/// commit's fsync) run as the next batch. The batch's table and catalog operations run first, one
/// by one, in arrival order; then its item writes run in one SQLite transaction, each in its own
/// savepoint, and are answered only after that transaction has committed (synchronous=FULL). So
/// every acknowledged write is on disk, at the cost of one fsync per batch instead of one per
/// write. Concurrent requests may run and be answered in another order than they arrived in,
/// which clients can't tell apart from network delays.
final class WriteQueue: Sendable {
    private struct Waiting {
        var call: DynamoEngine.Call
        var reply: @Sendable (Result<JSON, DynamoError>) -> Void
    }

    private let queue = DispatchQueue(label: "nimbus.dynamodb")
    private let engine: EngineBox
    /// Calls not yet taken by the queue, and whether a drain is scheduled or running.
    private let waiting = Mutex<(calls: [Waiting], draining: Bool)>(([], false))
    private let catalogChanges = Atomic<UInt64>(0)

    init(engine: sending DynamoEngine) {
        self.engine = EngineBox(engine)
    }

    /// Counts the writer's operations that may have changed the table catalog; readers reload
    /// their copy when it moves.
    var catalogVersion: UInt64 { catalogChanges.load(ordering: .acquiring) }

    /// Queues `call`; `reply` runs on the queue once its result is final (committed, for a write).
    func run(_ call: DynamoEngine.Call, reply: @escaping @Sendable (Result<JSON, DynamoError>) -> Void) {
        let startDrain = waiting.withLock { state in
            state.calls.append(Waiting(call: call, reply: reply))
            defer { state.draining = true }
            return !state.draining
        }
        if startDrain { queue.async { self.drain() } }
    }

    /// Runs `body` on the queue, between batches, and waits for it (start-up provisioning, close).
    func sync<T>(catalogChange: Bool, _ body: (DynamoEngine) -> T) -> T {
        queue.sync {
            defer { if catalogChange { catalogChanges.add(1, ordering: .releasing) } }
            return body(engine.value)
        }
    }

    /// Runs `body` on the queue, between batches, without blocking the caller (TTL sweeps).
    func async<T: Sendable>(_ body: @escaping @Sendable (DynamoEngine) -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body(self.engine.value)) }
        }
    }

    /// Runs what is waiting, batch after batch, until nothing is.
    private func drain() {
        while true {
            let batch = waiting.withLock { state in
                let calls = state.calls
                state.calls.removeAll(keepingCapacity: true)
                state.draining = !calls.isEmpty
                return calls
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }

    private func run(_ batch: [Waiting]) {
        var writes: [Waiting] = []
        for waiting in batch {
            if DynamoEngine.itemWrites.contains(waiting.call.name) {
                writes.append(waiting)
                continue
            }
            let result = execute(waiting.call)
            catalogChanges.add(1, ordering: .releasing)
            waiting.reply(result)
        }
        if writes.count == 1 {
            writes[0].reply(execute(writes[0].call))  // Durable on its own.
        } else if writes.count > 1 {
            let results = engine.value.commitTogether(writes.map(\.call))
            for (waiting, result) in zip(writes, results) {
                waiting.reply(result)
            }
        }
    }

    private func execute(_ call: DynamoEngine.Call) -> Result<JSON, DynamoError> {
        Result { () throws(DynamoError) -> JSON in try call.operation(engine.value)(call.request) }
    }
}

/// Holds the writer's engine; only ever touched on `WriteQueue.queue`, which is what makes sharing
/// it across threads safe.
private final class EngineBox: @unchecked Sendable {
    let value: DynamoEngine

    init(_ value: DynamoEngine) {
        self.value = value
    }
}
