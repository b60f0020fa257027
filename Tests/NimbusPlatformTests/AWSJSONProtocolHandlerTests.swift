import NIOCore
import NIOEmbedded
import NIOHTTP1
import NimbusSigV4
import Synchronization
import Testing

@testable import NimbusPlatform

/// The AWS endpoint's JSON-protocol handler on an embedded channel: what it answers itself, what
/// it passes on to the router, and that answers leave in request order.
@Suite struct AWSJSONProtocolHandlerTests {
    /// A JSON service whose replies the test releases one by one.
    final class HeldService: Sendable {
        let calls = Mutex<[(target: String, body: [UInt8], reply: @Sendable (AWSJSONProtocolHandler.Answer) -> Void)]>([])

        var service: AWSJSONProtocolHandler.Service {
            { target, body, reply in self.calls.withLock { $0.append((target, body, reply)) } }
        }

        var count: Int { calls.withLock { $0.count } }

        func release(_ index: Int, status: Int = 200, body: String = "{}") {
            let reply = calls.withLock { $0[index].reply }
            reply(.init(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array(body.utf8)))
        }
    }

    /// Records what reaches the router's side of the pipeline.
    final class RouterSide: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        var parts: [HTTPServerRequestPart] = []
        var readCompletes = 0
        var quiesceEvents = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { parts.append(unwrapInboundIn(data)) }
        func channelReadComplete(context: ChannelHandlerContext) { readCompletes += 1 }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is ChannelShouldQuiesceEvent { quiesceEvents += 1 }
        }
    }

    struct Fixture {
        let channel = EmbeddedChannel()
        let service = HeldService()
        let router = RouterSide()

        init(limit: Bool = false) throws {
            let signatures = SignatureCheck(verifier: SigV4Verifier(credentials: [], strict: false))
            let handler = AWSJSONProtocolHandler(services: ["DynamoDB_20120810": service.service], signatures: signatures)
            try channel.pipeline.syncOperations.addHandlers([handler, router])
        }

        func send(_ parts: HTTPServerRequestPart...) throws {
            for part in parts { try channel.writeInbound(part) }
        }

        func sendJSON(_ operation: String, body: String = "{}") throws {
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Host": "localhost"])
            head.headers.add(name: "X-Amz-Target", value: "DynamoDB_20120810.\(operation)")
            try send(.head(head), .body(ByteBuffer(string: body)), .end(nil))
        }

        func sendREST(_ path: String) throws {
            try send(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["Host": "localhost"])), .end(nil))
        }

        /// The router writes a whole response, as Hummingbird does.
        func routerResponds(_ body: String) throws {
            try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
            try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body))))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }

        /// The bodies of the responses written so far, in wire order, with their status.
        func responses() throws -> [(status: Int, body: String)] {
            var result: [(Int, String)] = []
            var status = 0
            var body = ""
            while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
                switch part {
                case .head(let head): status = Int(head.status.code); body = ""
                case .body(.byteBuffer(let buffer)): body += String(buffer: buffer)
                case .body: Issue.record("a file region in a JSON answer")
                case .end: result.append((status, body))
                }
            }
            return result
        }
    }

    @Test func jsonRequestIsAnsweredWithoutTheRouter() throws {
        let fixture = try Fixture()
        try fixture.sendJSON("GetItem", body: #"{"TableName":"t"}"#)
        #expect(fixture.service.count == 1)
        #expect(fixture.service.calls.withLock { $0[0].target } == "DynamoDB_20120810.GetItem")
        #expect(fixture.service.calls.withLock { String(decoding: $0[0].body, as: UTF8.self) } == #"{"TableName":"t"}"#)
        fixture.service.release(0, body: #"{"Item":{}}"#)
        var head: HTTPResponseHead?
        if case .head(let written) = try fixture.channel.readOutbound(as: HTTPServerResponsePart.self) { head = written }
        #expect(head?.status == .ok)
        #expect(head?.headers.first(name: "content-length") == "11")
        #expect(head?.headers.first(name: "content-type") == "application/x-amz-json-1.0")
        #expect(fixture.router.parts.isEmpty)
    }

    @Test func otherRequestsPassToTheRouter() throws {
        let fixture = try Fixture()
        try fixture.sendREST("/bucket/key")
        #expect(fixture.router.parts.count == 2)
        #expect(fixture.service.count == 0)
    }

    @Test func jsonRequestWaitsForTheRouterResponseBeforeIt() throws {
        let fixture = try Fixture()
        try fixture.sendREST("/bucket/first")
        try fixture.sendJSON("GetItem")
        #expect(fixture.service.count == 0, "must not be answered before the router's response")
        try fixture.routerResponds("s3 object")
        #expect(fixture.service.count == 1)
        fixture.service.release(0, body: #"{"Item":{}}"#)
        #expect(try fixture.responses().map(\.body) == ["s3 object", #"{"Item":{}}"#])
    }

    @Test func routerRequestWaitsForTheJSONAnswerBeforeIt() throws {
        let fixture = try Fixture()
        try fixture.sendJSON("PutItem")
        try fixture.sendREST("/bucket/second")
        #expect(fixture.router.parts.isEmpty, "must not reach the router before the JSON answer")
        let completesBefore = fixture.router.readCompletes
        fixture.service.release(0)
        #expect(fixture.router.parts.count == 2)
        // Passed on outside a read cycle: the router's channel only hands reads over on readComplete.
        #expect(fixture.router.readCompletes == completesBefore + 1)
        try fixture.routerResponds("s3 object")
        #expect(try fixture.responses().map(\.body) == ["{}", "s3 object"])
    }

    @Test func pipelinedJSONRequestsAreAnsweredInOrder() throws {
        let fixture = try Fixture()
        try fixture.sendJSON("PutItem", body: "1")
        try fixture.sendJSON("PutItem", body: "2")
        #expect(fixture.service.count == 1, "the second waits for the first answer")
        fixture.service.release(0, body: "one")
        #expect(fixture.service.count == 2)
        fixture.service.release(1, body: "two")
        #expect(try fixture.responses().map(\.body) == ["one", "two"])
    }

    @Test func unknownServiceAndOversizedBodyAreAnsweredAsErrors() throws {
        let fixture = try Fixture()
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Host": "localhost"])
        head.headers.replaceOrAdd(name: "X-Amz-Target", value: "AmazonSQS.SendMessage")
        try fixture.send(.head(head), .end(nil))
        head.headers.replaceOrAdd(name: "X-Amz-Target", value: "DynamoDB_20120810.PutItem")
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
        try fixture.send(.head(head))
        for _ in 0...16 { try fixture.send(.body(chunk)) }
        try fixture.send(.end(nil))
        let responses = try fixture.responses()
        #expect(responses.map(\.status) == [400, 413])
        #expect(responses[0].body.contains("UnknownOperationException"))
        #expect(responses[1].body.contains("RequestEntityTooLarge"))
        #expect(fixture.service.count == 0)
    }

    @Test func gracefulShutdownWaitsForTheAnswerInProgress() throws {
        let fixture = try Fixture()
        try fixture.sendJSON("PutItem")
        fixture.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(fixture.router.quiesceEvents == 0, "the connection looks idle to the router but is not")
        fixture.service.release(0)
        #expect(fixture.router.quiesceEvents == 1)
        #expect(try fixture.responses().map(\.body) == ["{}"])
    }
}
