import Foundation
import Logging
import NimbusCore
import Synchronization

/// The zygotes of one set of worker pools, one per function, made on first need and kept
/// while the stack runs (also when a pool scales to zero: a zygote's memory is the price of
/// fast cold starts). Owned by `WorkerPools`, which hosts their tasks and stops them.
final class Zygotes: Sendable {
    private let zygotes = Mutex<[FunctionName: Zygote]>([:])
    private let stopped = Atomic<Bool>(false)
    private let logger: Logger
    private let host: @Sendable (@escaping @Sendable () async -> Void) -> Void

    init(logger: Logger, host: @escaping @Sendable (@escaping @Sendable () async -> Void) -> Void) {
        self.logger = logger
        self.host = host
    }

    /// The function's zygote when it is ready to fork; otherwise starts it (once) and returns nil.
    func ready(for function: FunctionConfiguration, launcher: RuntimeLauncher) -> Zygote? {
        guard !stopped.load(ordering: .relaxed) else { return nil }
        let zygote = zygotes.withLock { zygotes in
            if let existing = zygotes[function.name] { return existing }
            let made = Zygote(function: function, logger: logger, host: host)
            zygotes[function.name] = made
            return made
        }
        if zygote.isReady { return zygote }
        zygote.startIfNeeded(launcher: launcher)
        return nil
    }

    /// Starts the function's zygote ahead of need.
    func prepare(_ function: FunctionConfiguration, launcher: RuntimeLauncher) {
        _ = ready(for: function, launcher: launcher)
    }

    /// Every zygote, for status and tests.
    var all: [Zygote] { zygotes.withLock { Array($0.values) } }

    func stopAll() {
        stopped.store(true, ordering: .relaxed)
        for zygote in all { zygote.stop() }
    }
}
