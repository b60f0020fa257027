import Foundation
import Logging
import NimbusCore
import Testing

@testable import NimbusDynamo

/// A DynamoService on a fresh temporary directory with a settable wall clock, and helpers to send
/// JSON requests and inspect responses.
final class ServiceHarness: @unchecked Sendable {
    let directory: String
    private(set) var service: DynamoService
    private let clock = TestWallClock()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-dynamo-\(UUID().uuidString)").path
        let clock = self.clock
        service = try DynamoService(directory: directory, logger: Logger(label: "test"), now: { clock.now })
    }

    deinit {
        service.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var now: Double {
        get { clock.now }
        set { clock.now = newValue }
    }

    /// Closes and reopens the service on the same directory (what a restart does).
    func reopen() throws {
        service.close()
        let clock = self.clock
        service = try DynamoService(directory: directory, logger: Logger(label: "test"), now: { clock.now })
    }

    struct Response {
        var status: Int
        var headers: [(String, String)]
        var json: JSON
        var text: String

        var errorType: String? { json["__type"]?.stringValue?.split(separator: "#").last.map(String.init) }
        var message: String? { json["message"]?.stringValue ?? json["Message"]?.stringValue }
    }

    func call(_ operation: String, _ body: String) async -> Response {
        let response = await service.handle(target: "DynamoDB_20120810.\(operation)", body: Array(body.utf8))
        let json = (try? JSON.parse(response.body)) ?? .null
        return Response(status: response.status, headers: response.headers, json: json, text: String(decoding: response.body, as: UTF8.self))
    }

    /// Calls and requires success.
    @discardableResult
    func ok(_ operation: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async -> JSON {
        let response = await call(operation, body)
        #expect(response.status == 200, "\(operation) failed: \(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// Calls and requires an error; returns (code, message).
    func fails(_ operation: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async -> (String, String) {
        let response = await call(operation, body)
        #expect(response.status == 400, "\(operation) unexpectedly returned \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return (response.errorType ?? "", response.message ?? "")
    }

    // MARK: Fixtures

    /// `pk` (S) hash key, optional `sk` range key of the given type.
    func createTable(_ name: String = "tbl", sortKeyType: String? = nil, extra: String = "") async {
        var keys = #"[{"AttributeName":"pk","KeyType":"HASH"}"#
        var definitions = #"[{"AttributeName":"pk","AttributeType":"S"}"#
        if let sortKeyType {
            keys += #",{"AttributeName":"sk","KeyType":"RANGE"}"#
            definitions += #",{"AttributeName":"sk","AttributeType":"\#(sortKeyType)"}"#
        }
        await ok("CreateTable", #"{"TableName":"\#(name)","KeySchema":\#(keys)],"AttributeDefinitions":\#(definitions)],"BillingMode":"PAY_PER_REQUEST"\#(extra)}"#)
    }

    func put(_ table: String, _ item: String) async {
        await ok("PutItem", #"{"TableName":"\#(table)","Item":\#(item)}"#)
    }

    func get(_ table: String, _ key: String) async -> JSON? {
        await ok("GetItem", #"{"TableName":"\#(table)","Key":\#(key),"ConsistentRead":true}"#)["Item"]
    }
}

final class TestWallClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 1_700_000_000.0

    var now: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

extension JSON {
    subscript(index: Int) -> JSON? {
        guard case .array(let elements) = self, index < elements.count else { return nil }
        return elements[index]
    }

    var count: Int {
        switch self {
        case .array(let a): a.count
        case .object(let o): o.count
        default: 0
        }
    }

    /// `{"S": "x"}` → "x", `{"N": "1"}` → "1".
    var scalar: String? {
        self["S"]?.stringValue ?? self["N"]?.stringValue
    }

    var numberText: String? { if case .number(let n) = self { n } else { nil } }
}
