/// Hosts the long-running task of every worker inside one structured task group, so that
/// worker tasks are children of the pools' service and end with it.
final class WorkerSupervisor: Sendable {
    typealias Job = @Sendable () async -> Void

    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    init() {
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    func spawn(_ job: @escaping Job) {
        continuation.yield(job)
    }

    /// Runs jobs until `finish()` has been called and every job has returned.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await job() }
            }
        }
    }

    /// No new jobs; `run` returns once the running ones end.
    func finish() {
        continuation.finish()
    }
}
