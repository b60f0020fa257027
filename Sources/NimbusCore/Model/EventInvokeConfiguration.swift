/// `EventInvokeConfig`: how Lambda treats a function's asynchronous (`InvocationType: Event`)
/// invocations. Destinations (`DestinationConfig`) are not modelled.
public struct EventInvokeConfiguration: Sendable, Hashable {
    /// AWS accepts 0–2 retries.
    public static let retryAttemptsRange = 0...2
    /// AWS accepts 60 s to 6 h.
    public static let eventAgeRange = 60...21_600

    /// Retries after a function error (AWS default 2). Throttles do not count against it.
    public var maximumRetryAttempts: Int
    /// Seconds an event may wait for a successful attempt before it is discarded (AWS default
    /// 21600, six hours).
    public var maximumEventAgeInSeconds: Int

    public init(maximumRetryAttempts: Int = 2, maximumEventAgeInSeconds: Int = 21_600) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
    }
}
