extension WorkerPools {
    /// Histogram buckets for the pools' timers, by metric name, for a backend that needs them
    /// up front (Prometheus). Invocations run up to Lambda's 15 minutes; starts and queue waits
    /// are short unless something is wrong.
    public static let durationHistogramBuckets: [String: [Duration]] = [
        PoolMetrics.Name.invocationDuration: [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900),
        ],
        PoolMetrics.Name.coldStartDuration: [
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ],
        PoolMetrics.Name.queueWait: [
            .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ],
    ]
}
