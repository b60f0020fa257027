import NimbusCore
import NimbusTemplate
import Testing

/// `EventInvokeConfig`: AWS's defaults, per function and from Globals, and AWS's ranges.
struct EventInvokeConfigTests {
    @Test("Without EventInvokeConfig a function gets AWS's defaults: 2 retries, 6 hours")
    func defaults() throws {
        let function = try #require(try load("Resources:\n" + echoFunction()).functions.first)
        #expect(function.eventInvoke == EventInvokeConfiguration(maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600))
    }

    @Test("A function's own values", arguments: [
        ("{MaximumRetryAttempts: 0}", EventInvokeConfiguration(maximumRetryAttempts: 0)),
        ("{MaximumEventAgeInSeconds: 60}", EventInvokeConfiguration(maximumEventAgeInSeconds: 60)),
        ("{MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600}",
         EventInvokeConfiguration(maximumRetryAttempts: 1, maximumEventAgeInSeconds: 3600)),
        ("{}", EventInvokeConfiguration()),
    ])
    func ownValues(config: String, expected: EventInvokeConfiguration) throws {
        let stack = try load("Resources:\n" + echoFunction("EventInvokeConfig: \(config)"))
        #expect(stack.functions.first?.eventInvoke == expected)
        #expect(stack.warnings.filter { $0.contains("EventInvokeConfig") }.isEmpty)
    }

    @Test("Parameters resolve: Ref yields text, read as a number")
    func fromParameter() throws {
        let yaml = "Parameters:\n  Retries: {Type: Number, Default: 1}\nResources:\n"
            + echoFunction("EventInvokeConfig:\n  MaximumRetryAttempts: !Ref Retries")
        #expect(try load(yaml).functions.first?.eventInvoke.maximumRetryAttempts == 1)
    }

    @Test("Globals.Function.EventInvokeConfig merges key by key; the function's own values win")
    func globals() throws {
        let yaml = """
            Globals:
              Function:
                EventInvokeConfig: {MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 120}
            Resources:
            \(echoFunction())
            \(echoFunction("EventInvokeConfig: {MaximumRetryAttempts: 0}").replacingOccurrences(of: "  Echo:", with: "  Own:"))
            """
        let functions = Dictionary(uniqueKeysWithValues: try load(yaml).functions.map { ($0.logicalID, $0.eventInvoke) })
        #expect(functions["Echo"] == EventInvokeConfiguration(maximumRetryAttempts: 1, maximumEventAgeInSeconds: 120))
        #expect(functions["Own"] == EventInvokeConfiguration(maximumRetryAttempts: 0, maximumEventAgeInSeconds: 120))
    }

    @Test("Out of AWS's ranges or of the wrong type: a clear error with file, line and path", arguments: [
        ("MaximumRetryAttempts: 3", "template.yaml:9: Resources.Echo.Properties.EventInvokeConfig.MaximumRetryAttempts: must be between 0 and 2"),
        ("MaximumRetryAttempts: -1", "template.yaml:9: Resources.Echo.Properties.EventInvokeConfig.MaximumRetryAttempts: must be between 0 and 2"),
        ("MaximumRetryAttempts: 1.5", "template.yaml:9: Resources.Echo.Properties.EventInvokeConfig.MaximumRetryAttempts: expected a whole number"),
        ("MaximumRetryAttempts: two", "template.yaml:9: Resources.Echo.Properties.EventInvokeConfig.MaximumRetryAttempts: expected a number"),
        ("MaximumEventAgeInSeconds: 59", "template.yaml:9: Resources.Echo.Properties.EventInvokeConfig.MaximumEventAgeInSeconds: must be between 60 and 21600"),
        ("MaximumEventAgeInSeconds: 21601", "template.yaml:9: Resources.Echo.Properties.EventInvokeConfig.MaximumEventAgeInSeconds: must be between 60 and 21600"),
    ])
    func rangeErrors(property: String, expected: String) {
        let yaml = "Resources:\n" + echoFunction("EventInvokeConfig:\n  \(property)")
        #expect(loadError(yaml)?.description == expected)
    }

    @Test("EventInvokeConfig that is not a mapping")
    func notAMapping() {
        #expect(loadError("Resources:\n" + echoFunction("EventInvokeConfig: 2"))?.description
            == "template.yaml:8: Resources.Echo.Properties.EventInvokeConfig: expected a mapping")
    }

    @Test("A bad value in Globals is reported at its line in Globals")
    func globalsError() {
        let yaml = "Globals:\n  Function:\n    EventInvokeConfig:\n      MaximumRetryAttempts: 5\nResources:\n" + echoFunction()
        #expect(loadError(yaml)?.description
            == "template.yaml:4: Resources.Echo.Properties.EventInvokeConfig.MaximumRetryAttempts: must be between 0 and 2")
    }

    @Test("Destinations and unknown keys are warnings, the rest still applies")
    func destinationsWarn() throws {
        let yaml = "Transform: AWS::Serverless-2016-10-31\nResources:\n" + echoFunction("""
            EventInvokeConfig:
              MaximumRetryAttempts: 1
              DestinationConfig:
                OnFailure: {Type: SQS, Destination: arn:aws:sqs:us-east-1:000000000000:dlq}
              RetryForever: true
            """)
        let stack = try load(yaml)
        #expect(stack.functions.first?.eventInvoke.maximumRetryAttempts == 1)
        #expect(stack.warnings == [
            "Resources.Echo.Properties.EventInvokeConfig.DestinationConfig: destinations are not supported by Nimbus yet; ignored",
            "Resources.Echo.Properties.EventInvokeConfig.RetryForever: not supported by Nimbus; ignored",
        ])
    }
}
