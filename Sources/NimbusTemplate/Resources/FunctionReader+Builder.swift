import NimbusCore

extension FunctionReader {
    /// The values read so far, in document order; required ones are checked at the end.
    struct Builder {
        var logicalID: String
        var name: FunctionName?
        var runtime: String?
        var handler: String?
        var codePath: String?
        var timeout: Double?
        var memorySize: Int?
        var ephemeralStorage: Int?
        var environment: [String: String] = [:]
        var layers: [String] = []
        var reservedConcurrency: Int?
        var provisionedConcurrency: Int?
        var autoPublishAlias: String?
        var architectures: [String]?
        var events: [FunctionEvent] = []
        var eventInvoke: EventInvokeConfiguration?

        init(logicalID: String) { self.logicalID = logicalID }

        func configuration(_ properties: PropertyMap) throws(TemplateError) -> FunctionConfiguration {
            guard let runtime else { throw properties.missing("Runtime") }
            guard let handler else { throw properties.missing("Handler") }
            guard let codePath else { throw properties.missing("CodeUri") }
            guard let name else { throw properties.missing("FunctionName") }
            return FunctionConfiguration(
                name: name, logicalID: logicalID, runtime: runtime, handler: handler, codePath: codePath,
                timeout: timeout ?? 3, memorySize: memorySize ?? 128, ephemeralStorage: ephemeralStorage ?? 512,
                environment: environment, layers: layers, reservedConcurrency: reservedConcurrency,
                provisionedConcurrency: provisionedConcurrency, autoPublishAlias: autoPublishAlias,
                architectures: architectures ?? ["x86_64"], events: events,
                eventInvoke: eventInvoke ?? EventInvokeConfiguration())
        }
    }
}
