import Foundation
import NimbusCore
import NimbusTemplate
import Testing

/// The sample app (Fixtures/sample-app/template.yaml), loaded from disk like `nimbus up` does.
struct FixtureTemplateTests {
    static let templatePath = Fixtures.sampleApp + "/template.yaml"

    @Test func loadsTheSampleApp() throws {
        let stack = try TemplateLoader().load(fileAt: Self.templatePath)
        #expect(stack.functions.map(\.name.rawValue) == [
            "lambda-echo", "lambda-connectivity-python", "lambda-connectivity-java", "lambda-connectivity-node",
            "ScheduledWriterFunction",
        ])
        #expect(stack.layers == [LayerDefinition(logicalID: "CommonLayer", name: "nimbus-common", contentPath: Fixtures.commonLayer)])
        #expect(stack.tables.map(\.tableName) == ["e2e-test-table", "nimbus-sessions"])
        #expect(stack.buckets.map(\.bucketName) == ["e2e-test-bucket"])
        #expect(stack.warnings == [
            "Globals.Api: not supported by Nimbus; ignored",
            "Resources.ScheduledWriterFunction.Properties.Events.QueueEvent: event type SQS is not supported by Nimbus; ignored",
            "Resources.ArchiveBucket: skipped: condition 'IsProd' is false",
            "Resources.AuditQueue: AWS::SQS::Queue is not supported by Nimbus; ignored",
        ])
        #expect(stack.routes.map(\.routeKey) == [
            "POST /api/echo", "ANY /v2/echo", "POST /api/connectivity/python", "POST /api/connectivity/java",
            "POST /api/connectivity/node",
        ])
    }

    @Test func pythonFunctionIsFullyResolved() throws {
        let stack = try TemplateLoader().load(fileAt: Self.templatePath)
        let function = try #require(stack.function(named: FunctionName("lambda-connectivity-python")!))
        #expect(function == FunctionConfiguration(
            name: FunctionName("lambda-connectivity-python")!, logicalID: "PythonConnectivityFunction",
            runtime: "python3.12", handler: "app.handler",
            codePath: Fixtures.sampleApp + "/functions/python/connectivity",
            timeout: 10, memorySize: 256,
            environment: [
                "STAGE": "dev", "TABLE_NAME": "e2e-test-table", "BUCKET_NAME": "e2e-test-bucket", "LOG_LEVEL": "DEBUG",
                "CHAIN_TARGET": "lambda-echo", "CHAIN_TARGET_ARN": "arn:aws:lambda:us-east-1:000000000000:function:lambda-echo",
                "BUCKET_ARN": "arn:aws:s3:::e2e-test-bucket",
            ],
            layers: [Fixtures.commonLayer], reservedConcurrency: 10, provisionedConcurrency: 1, autoPublishAlias: "live",
            events: [FunctionEvent(logicalID: "ConnectivityApi", kind: .http(HTTPRoute(
                api: .rest, path: "/api/connectivity/python", method: "POST", function: function.name)))]))
    }

    @Test func mappingsAndOverridesShapeOtherFunctions() throws {
        let stack = try TemplateLoader(parameterOverrides: ["Stage": "prod"], stackName: "e2e").load(fileAt: Self.templatePath)
        let java = try #require(stack.functions.first { $0.logicalID == "JavaConnectivityFunction" })
        #expect(java.runtime == "java17")
        #expect(java.memorySize == 1024)
        #expect(java.timeout == 30)
        let scheduled = try #require(stack.functions.first { $0.logicalID == "ScheduledWriterFunction" })
        #expect(scheduled.ephemeralStorage == 1024)
        #expect(scheduled.events == [FunctionEvent(logicalID: "EveryMinute", kind: .schedule(ScheduleEvent(
            expression: "rate(1 minute)", input: "{\"scheduled\": true}", enabled: true, name: "e2e-scheduled-writer")))])
        #expect(stack.buckets.map(\.bucketName) == ["e2e-test-bucket", "archivebucket"])
        #expect(stack.tables.map(\.tableName) == ["e2e-test-table", "e2e-sessions"])
    }

    @Test func loadsJSONTemplates() throws {
        let stack = try TemplateLoader().load(fileAt: Fixtures.root + "/json-app/template.json")
        let function = try #require(stack.functions.first)
        #expect(function.name.rawValue == "HelloFunction")
        #expect(function.codePath == Fixtures.root + "/json-app/src")
        #expect(function.timeout == 5)
        #expect(function.environment == ["REGION": "us-east-1", "RETRIES": "3"])
        #expect(function.httpRoutes == [HTTPRoute(api: .http, path: "/{proxy+}", method: nil, function: function.name)])
    }

    @Test func errorsNameTheFileAsGiven() throws {
        let yaml = try String(contentsOfFile: Self.templatePath, encoding: .utf8)
            .replacingOccurrences(of: "      Timeout: 30\n", with: "      Timeout: thirty\n")
        let error = #expect(throws: TemplateError.self) {
            try TemplateLoader().load(yaml: yaml, fileName: "sample/template.yaml", baseDirectory: Fixtures.sampleApp)
        }
        #expect(error?.description.hasPrefix("sample/template.yaml:") == true)
        #expect(error?.description.hasSuffix(": Resources.JavaConnectivityFunction.Properties.Timeout: expected a number") == true)
    }
}
