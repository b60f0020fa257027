import NimbusCore
import NimbusTemplate
import Testing

struct EventTests {
    static func events(_ yaml: String) throws -> [FunctionEvent] {
        try load("Resources:\n" + echoFunction("FunctionName: echo\nEvents:\n" + yaml)).functions[0].events
    }

    static let echo = FunctionName("echo")!

    static let routeCases: [(String, HTTPRoute)] = [
        ("  E:\n    Type: Api\n    Properties:\n      Path: /items/{id}\n      Method: get", HTTPRoute(api: .rest, path: "/items/{id}", method: "GET", function: echo)),
        ("  E:\n    Type: Api\n    Properties: {Path: /items, Method: POST}", HTTPRoute(api: .rest, path: "/items", method: "POST", function: echo)),
        ("  E:\n    Type: Api\n    Properties:\n      Path: /files/{proxy+}\n      Method: any", HTTPRoute(api: .rest, path: "/files/{proxy+}", method: nil, function: echo)),
        ("  E:\n    Type: HttpApi\n    Properties: {Path: /v2/items, Method: delete}", HTTPRoute(api: .http, path: "/v2/items", method: "DELETE", function: echo)),
        ("  E:\n    Type: HttpApi", HTTPRoute(api: .http, path: "/{proxy+}", method: nil, function: echo)),
        ("  E:\n    Type: HttpApi\n    Properties: {ApiId: !Ref ServerlessHttpApi}", HTTPRoute(api: .http, path: "/{proxy+}", method: nil, function: echo)),
    ]

    @Test(arguments: routeCases)
    func readsRoutes(_ yaml: String, _ route: HTTPRoute) throws {
        #expect(try Self.events(yaml) == [FunctionEvent(logicalID: "E", kind: .http(route))])
    }

    static let scheduleCases: [(String, ScheduleEvent)] = [
        ("  T:\n    Type: Schedule\n    Properties: {Schedule: rate(5 minutes)}", ScheduleEvent(expression: "rate(5 minutes)")),
        ("  T:\n    Type: Schedule\n    Properties:\n      Schedule: cron(0 12 * * ? *)\n      Input: '{\"scheduled\": true}'\n      Enabled: false\n      Name: nightly",
         ScheduleEvent(expression: "cron(0 12 * * ? *)", input: "{\"scheduled\": true}", enabled: false, name: "nightly")),
        ("  T:\n    Type: Schedule\n    Properties:\n      Schedule: rate(1 minute)\n      Input: {scheduled: true, n: 2}",
         ScheduleEvent(expression: "rate(1 minute)", input: "{\"n\":2,\"scheduled\":true}")),
        ("  T:\n    Type: ScheduleV2\n    Properties: {ScheduleExpression: rate(1 hour), State: DISABLED, Name: hourly}",
         ScheduleEvent(expression: "rate(1 hour)", enabled: false, name: "hourly")),
        ("  T:\n    Type: Schedule\n    Properties: {Schedule: !Sub \"rate(${AWS::AccountId} minutes)\", State: ENABLED}",
         ScheduleEvent(expression: "rate(000000000000 minutes)")),
    ]

    @Test(arguments: scheduleCases)
    func readsSchedules(_ yaml: String, _ schedule: ScheduleEvent) throws {
        #expect(try Self.events(yaml) == [FunctionEvent(logicalID: "T", kind: .schedule(schedule))])
    }

    @Test func keepsDocumentOrderAndReportsOtherSources() throws {
        let yaml = """
              B:
                Type: Api
                Properties: {Path: /b, Method: get}
              Queue:
                Type: SQS
                Properties: {Queue: !GetAtt Nope.Arn}
              A:
                Type: Schedule
                Properties: {Schedule: rate(1 minute)}
            """
        let stack = try load("Transform: AWS::Serverless-2016-10-31\nResources:\n" + echoFunction("Events:\n" + yaml))
        #expect(stack.functions[0].events.map(\.logicalID) == ["B", "A"])
        #expect(stack.warnings == ["Resources.Echo.Properties.Events.Queue: event type SQS is not supported by Nimbus; ignored"])
        #expect(stack.routes.map(\.routeKey) == ["GET /b"])
    }
}
