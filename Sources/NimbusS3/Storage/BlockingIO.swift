import NIOPosix

/// Runs blocking disk work (fsync, rename) off Swift's cooperative pool.
///
/// `fsync` takes milliseconds; on the cooperative pool (one thread per core) a few of them would
/// stall every request. Many threads also let concurrent PUTs share the file system's journal
/// commits, which is where durable-write throughput comes from.
enum BlockingIO {
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
