import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import NimbusS3

/// Serves an `S3Service` the way the AWS endpoint does: every request goes to `respond`.
struct S3TestResponder: HTTPResponder {
    let service: S3Service

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        try await service.respond(to: request, context: context)
    }
}

/// A throwaway data directory, deleted when the test is done.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-s3-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum S3Test {
    static let logger = Logger(label: "nimbus.s3.tests")

    static func service(
        _ directory: String, clock: some Clock<Duration> = ContinuousClock(),
        verifier: (any S3SignatureVerifier)? = nil, configuration: S3Configuration = S3Configuration(durableWrites: false)
    ) throws -> S3Service {
        try S3Service(
            directory: directory, logger: logger, clock: clock, presignVerifier: verifier, configuration: configuration)
    }

    /// Runs `test` against `service` through Hummingbird's router test framework.
    static func withRouter(
        _ service: S3Service, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = Application(responder: S3TestResponder(service: service))
        try await app.test(.router) { client in try await test(client) }
    }

    /// Runs `test` against `service` served on a real socket (port 0): bodies then arrive in
    /// network-sized buffers, as from a real client.
    static func withLiveServer(
        _ service: S3Service, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = Application(responder: S3TestResponder(service: service), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await test(client) }
    }
}

extension TestClientProtocol {
    @discardableResult
    func s3(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @discardableResult
    func s3(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], bytes: [UInt8]) async throws
        -> TestResponse
    {
        try await execute(uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: bytes))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// `<Code>` of an S3 error document.
    var errorCode: String? {
        guard let document = try? XMLReader.parse(Array(body.readableBytesView)), document.name == "Error" else {
            return nil
        }
        return document.value("Code")
    }

    var xml: XMLTree? { try? XMLReader.parse(Array(body.readableBytesView)) }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

extension HTTPFields {
    init(_ pairs: [String: String]) {
        self.init()
        for (name, value) in pairs { self[HTTPField.Name(name)!] = value }
    }
}
