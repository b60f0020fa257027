import Foundation

/// Wall-clock time read through an injected `Clock`, so tests can move time (lifecycle expiry,
/// presigned-URL expiry) without waiting.
///
/// Anchored once: `Date()` at creation plus the clock's elapsed duration since then. With
/// `ContinuousClock` this is the real time; with a test clock, time moves only when the test says.
struct WallClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void
    private let anchorMilliseconds: Int64

    init<C: Clock<Duration>>(_ clock: C) {
        let anchor = clock.now
        self.anchorMilliseconds = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        self.elapsed = { anchor.duration(to: clock.now) }
        self.sleeper = { duration in try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil) }
    }

    var nowMilliseconds: Int64 {
        let components = elapsed().components
        return anchorMilliseconds + components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Whole seconds: S3 keeps `Last-Modified` at one-second resolution.
    var nowSeconds: Int64 { HTTPDate.floorDiv(nowMilliseconds, 1000) }

    func sleep(for duration: Duration) async throws {
        try await sleeper(duration)
    }
}
