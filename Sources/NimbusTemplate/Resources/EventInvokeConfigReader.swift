import NimbusCore

/// A function's `EventInvokeConfig`: the retry count and maximum age of its asynchronous
/// invocations, in AWS's ranges. Destinations are reported and ignored.
struct EventInvokeConfigReader {
    let context: TemplateContext

    func read(_ properties: PropertyMap) throws(TemplateError) -> EventInvokeConfiguration? {
        guard let config = try properties.map("EventInvokeConfig") else { return nil }
        var result = EventInvokeConfiguration()
        for key in config.entries.map(\.key) {
            switch key {
            case "MaximumRetryAttempts":
                if let attempts = try config.integer(key, in: EventInvokeConfiguration.retryAttemptsRange) {
                    result.maximumRetryAttempts = attempts
                }
            case "MaximumEventAgeInSeconds":
                if let age = try config.integer(key, in: EventInvokeConfiguration.eventAgeRange) {
                    result.maximumEventAgeInSeconds = age
                }
            case "DestinationConfig":
                context.warn(config.path(key), "destinations are not supported by Nimbus yet; ignored")
            default:
                context.warn(config.path(key), "not supported by Nimbus; ignored")
            }
        }
        return result
    }
}
