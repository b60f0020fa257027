import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NimbusCore
import Testing

@testable import NimbusGateway

struct InvokeControllerTests {
    static let invocationType = HTTPField.Name("X-Amz-Invocation-Type")!
    static let errorType = HTTPField.Name("x-amzn-ErrorType")!
    static let functionError = HTTPField.Name("X-Amz-Function-Error")!
    static let logType = HTTPField.Name("X-Amz-Log-Type")!
    static let logResult = HTTPField.Name("X-Amz-Log-Result")!
    static let requestID = HTTPField.Name("x-amzn-RequestId")!

    func withApp(_ dispatcher: FakeDispatcher, _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: GatewayRequestContext.self)
        InvokeController(dispatcher: dispatcher, region: "us-east-1", accountID: "123456789012").addRoutes(to: router)
        try await Application(router: router).test(.router, test)
    }

    static func invoke(
        _ client: some TestClientProtocol, _ function: String = "echo", query: String = "", type: String? = nil,
        headers extra: HTTPFields = [:], body: String = #"{"n":1}"#
    ) async throws -> TestResponse {
        var headers = extra
        if let type { headers[invocationType] = type }
        let uri = "/2015-03-31/functions/\(function)/invocations" + (query.isEmpty ? "" : "?\(query)")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func errorBody(_ response: TestResponse) throws -> [String: Any] {
        try jsonObject(response.body)
    }

    @Test func requestResponseReturnsThePayload() async throws {
        let dispatcher = FakeDispatcher(handler: FakeDispatcher.answering(#"{"ok":true}"#))
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, headers: [HTTPField.Name("X-Amz-Client-Context")!: "e30="])
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"ok":true}"#)
            #expect(response.headers[HTTPField.Name("X-Amz-Executed-Version")!] == "$LATEST")
            #expect(response.headers[Self.functionError] == nil)
            let invocation = try #require(dispatcher.recorder.invoked.first)
            #expect(dispatcher.recorder.invoked.count == 1)
            #expect(invocation.function == name("echo"))
            #expect(invocation.payload == Data(#"{"n":1}"#.utf8))
            #expect(invocation.clientContext == "e30=")
            #expect(invocation.qualifier == nil)
            #expect(response.headers[Self.requestID] == invocation.requestID.rawValue)
        }
    }

    @Test func emptyPayloadIsAnEmptyObject() async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, body: "")
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "{}")
        }
    }

    @Test func functionErrorIs200WithTheErrorHeader() async throws {
        let dispatcher = FakeDispatcher { request in
            .error(requestID: request.requestID, type: "ValueError", message: "bad input")
        }
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client)
            #expect(response.status == .ok)
            #expect(response.headers[Self.functionError] == "Unhandled")
            let body = try jsonObject(response.body)
            #expect(body["errorType"] as? String == "ValueError")
            #expect(body["errorMessage"] as? String == "bad input")
        }
    }

    @Test(arguments: ["missing", "bad%20name", "arn:aws:lambda:us-east-1:123456789012:function:missing"])
    func unknownFunctionIs404(_ function: String) async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, function)
            #expect(response.status == .notFound)
            #expect(response.headers[Self.errorType] == "ResourceNotFoundException")
            #expect((try Self.errorBody(response)["message"] as? String)?.hasPrefix("Function not found: arn:aws:lambda:us-east-1:123456789012:function:") == true)
            #expect(dispatcher.recorder.invoked.isEmpty)
        }
    }

    @Test func eventIsAcceptedAndEnqueued() async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, type: "Event")
            #expect(response.status == .accepted)
            #expect(response.body.readableBytes == 0)
            #expect(dispatcher.recorder.enqueued.count == 1)
            #expect(dispatcher.recorder.enqueued.first?.payload == Data(#"{"n":1}"#.utf8))
            #expect(dispatcher.recorder.invoked.isEmpty)
        }
    }

    @Test func eventThatCannotBeQueuedReportsTheDispatchError() async throws {
        let dispatcher = FakeDispatcher(enqueueError: DispatchError(.shuttingDown, "stopping"))
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, type: "Event")
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[Self.errorType] == "ServiceException")
        }
    }

    @Test func eventPayloadsAreLimitedTo256KB() async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let body = #"{"s":""# + String(repeating: "x", count: 256 * 1024) + #""}"#
            let response = try await Self.invoke(client, type: "Event", body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[Self.errorType] == "RequestTooLargeException")
            #expect(dispatcher.recorder.enqueued.isEmpty)
        }
    }

    @Test func dryRunIs204WithoutInvoking() async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, type: "DryRun")
            #expect(response.status == .noContent)
            #expect(dispatcher.recorder.invoked.isEmpty)
            #expect(dispatcher.recorder.enqueued.isEmpty)
        }
    }

    @Test func unknownInvocationTypeIs400() async throws {
        try await withApp(FakeDispatcher()) { client in
            let response = try await Self.invoke(client, type: "Sometimes")
            #expect(response.status == .badRequest)
            #expect(response.headers[Self.errorType] == "InvalidParameterValueException")
        }
    }

    @Test(arguments: ["{", "not json", #"{"a":}"#])
    func malformedPayloadIs400(_ body: String) async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, body: body)
            #expect(response.status == .badRequest)
            #expect(response.headers[Self.errorType] == "InvalidRequestContentException")
            #expect(try Self.errorBody(response)["Type"] as? String == "User")
            #expect(dispatcher.recorder.invoked.isEmpty)
        }
    }

    @Test func oversizePayloadIs413() async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let body = #"{"s":""# + String(repeating: "x", count: 6 * 1024 * 1024) + #""}"#
            let response = try await Self.invoke(client, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[Self.errorType] == "RequestTooLargeException")
            #expect(dispatcher.recorder.invoked.isEmpty)
        }
    }

    @Test func payloadJustUnderTheLimitIsAccepted() async throws {
        let dispatcher = FakeDispatcher(handler: FakeDispatcher.answering("null"))
        try await withApp(dispatcher) { client in
            let body = #"""# + String(repeating: "x", count: 6 * 1024 * 1024 - 2) + #"""#
            let response = try await Self.invoke(client, body: body)
            #expect(response.status == .ok)
        }
    }

    @Test func tailReturnsTheLast4KBOfTheLogBase64() async throws {
        let lines = (0..<200).map { "line \($0) " + String(repeating: ".", count: 40) }
        let dispatcher = FakeDispatcher(handler: FakeDispatcher.answering("null", logLines: lines))
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, headers: [Self.logType: "Tail"])
            let encoded = try #require(response.headers[Self.logResult])
            let log = try #require(Data(base64Encoded: encoded))
            let full = Data(lines.map { $0 + "\n" }.joined().utf8)
            #expect(full.count > 4096)
            #expect(log.count == 4096)
            #expect(log == full.suffix(4096))
            #expect(String(decoding: log, as: UTF8.self).hasSuffix("line 199 " + String(repeating: ".", count: 40) + "\n"))

            let untailed = try await Self.invoke(client)
            #expect(untailed.headers[Self.logResult] == nil)
        }
    }

    @Test func shortLogsAreTailedWhole() {
        #expect(InvokeController.tail(["START", "hello", "END"]) == Data("START\nhello\nEND\n".utf8).base64EncodedString())
    }

    @Test(arguments: [
        (DispatchError.Code.throttled, HTTPResponse.Status.tooManyRequests, "TooManyRequestsException"),
        (.functionNotFound, .notFound, "ResourceNotFoundException"),
        (.circuitOpen, .badGateway, "ServiceException"),
        (.shuttingDown, .serviceUnavailable, "ServiceException"),
        (.workerUnavailable, .serviceUnavailable, "ServiceException"),
    ])
    func dispatchErrorsMapToLambdaErrors(_ code: DispatchError.Code, _ status: HTTPResponse.Status, _ type: String) async throws {
        try await withApp(FakeDispatcher(handler: FakeDispatcher.failing(code))) { client in
            let response = try await Self.invoke(client)
            #expect(response.status == status)
            #expect(response.headers[Self.errorType] == type)
            #expect(try Self.errorBody(response)["message"] as? String == "dispatch failed: \(code.rawValue)")
        }
    }

    @Test func throttlingGivesTheConcurrencyReason() async throws {
        try await withApp(FakeDispatcher(handler: FakeDispatcher.failing(.throttled))) { client in
            let body = try Self.errorBody(try await Self.invoke(client))
            #expect(body["Reason"] as? String == "ReservedFunctionConcurrentInvocationLimitExceeded")
        }
    }

    @Test(arguments: [
        ("echo", "Qualifier=%24LATEST", "$LATEST"),
        ("echo", "Qualifier=live", "live"),
        ("echo", "Qualifier=3", "3"),
        ("echo:live", "", "live"),
        ("echo:%24LATEST", "", "$LATEST"),
        ("arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho%3Alive", "", "live"),
        ("123456789012%3Afunction%3Aecho", "Qualifier=live", "live"),
    ])
    func acceptedQualifiers(_ function: String, _ query: String, _ qualifier: String) async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, function, query: query)
            #expect(response.status == .ok)
            #expect(dispatcher.recorder.invoked.first?.function == name("echo"))
            #expect(dispatcher.recorder.invoked.first?.qualifier == qualifier)
        }
    }

    @Test(arguments: [
        ("echo", "Qualifier=prod"),
        ("echo:prod", ""),
        ("echo:live", "Qualifier=3"),
        ("echo", "Qualifier=LATEST"),
        ("echo:", ""),
        ("echo", "Qualifier="),
    ])
    func unknownQualifiersAre404(_ function: String, _ query: String) async throws {
        let dispatcher = FakeDispatcher()
        try await withApp(dispatcher) { client in
            let response = try await Self.invoke(client, function, query: query)
            #expect(response.status == .notFound)
            #expect(response.headers[Self.errorType] == "ResourceNotFoundException")
            #expect(dispatcher.recorder.invoked.isEmpty)
        }
    }
}
