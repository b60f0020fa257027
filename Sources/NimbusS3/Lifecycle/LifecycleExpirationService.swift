import Logging
import ServiceLifecycle

/// Applies bucket lifecycle rules in the background: one pass at start, then one every
/// `interval` of the service's (injected) clock, until graceful shutdown or cancellation.
struct LifecycleExpirationService: Service {
    let service: S3Service
    let interval: Duration

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let report = await service.applyLifecycleRules()
            if report.expiredObjects > 0 || report.abortedUploads > 0 {
                service.logger.info(
                    "s3 lifecycle pass",
                    metadata: [
                        "s3.lifecycle.expired": "\(report.expiredObjects)",
                        "s3.lifecycle.aborted_uploads": "\(report.abortedUploads)",
                    ])
            }
            do {
                try await cancelWhenGracefulShutdown { [service, interval] in
                    try await service.clock.sleep(for: interval)
                }
            } catch {
                return  // cancelled or shutting down
            }
        }
    }
}
