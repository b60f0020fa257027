import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NimbusCore
import NimbusPlatform
import NimbusTemplate
import NimbusWorkers

/// The test stack (`tests/fixtures/stack/template.yaml`) running in-process on free ports.
/// One stack is shared by the whole test process: starting python workers is the slow part.
struct LiveStack: Sendable {
    static let apiKey = "test-api-key"
    static let username = "smoke-user"
    static let password = "smoke-password"

    let platform: Platform
    let gatewayPort: Int
    let awsPort: Int

    static let shared = Task { try await LiveStack.start() }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func start(configure: (inout PlatformConfiguration) -> Void = { _ in }) async throws -> LiveStack {
        let stack = try TemplateLoader().load(fileAt: "\(repositoryRoot)/tests/fixtures/stack/template.yaml")
        var configuration = PlatformConfiguration()
        configuration.gatewayPort = 0
        configuration.awsPort = 0
        configuration.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-test-\(UUID().uuidString)").path
        configuration.gateway.apiKey = apiKey
        configuration.gateway.username = username
        configuration.gateway.password = password
        configuration.echoWorkerOutput = false
        configuration.workers.defaultPool.acquireTimeout = .seconds(5)
        configure(&configuration)
        var logger = Logger(label: "nimbus-test")
        logger.logLevel = .warning
        let platform = try Platform(stack: stack, configuration: configuration, logger: logger)
        // The stack lives as long as the test process; its workers die with it (PDEATHSIG).
        Task { try await platform.run(handleSignals: false) }
        let ports = await platform.waitUntilListening()
        return LiveStack(platform: platform, gatewayPort: ports.gateway, awsPort: ports.aws)
    }

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    }

    func request(
        _ method: HTTPRequest.Method, _ path: String, port: Int? = nil, headers: [String: String] = [:], body: Data = Data()
    ) async throws -> Reply {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let request = TestClient.Request(path, method: method, headers: fields, body: ByteBuffer(bytes: body))
        return try await TestClient.withClient(host: "127.0.0.1", port: port ?? gatewayPort, configuration: .init(timeout: .seconds(30))) { client in
            let response = try await client.execute(request)
            return Reply(status: response.status, headers: response.headers, body: response.body.map { Data(buffer: $0) } ?? Data())
        }
    }

    func post(_ path: String, json: Any, token: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var headers = headers
        headers["Content-Type"] = "application/json"
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await request(.post, path, headers: headers, body: try JSONSerialization.data(withJSONObject: json))
    }

    func token() async throws -> String {
        let reply = try await post(
            "/user/auth/v1", json: ["AuthParameters": ["USERNAME": Self.username, "PASSWORD": Self.password]],
            headers: ["x-api-key": Self.apiKey])
        return ((reply.json["AuthenticationResult"] as? [String: Any])?["IdToken"] as? String) ?? ""
    }

    /// `POST /2015-03-31/functions/NAME/invocations` on the AWS endpoint.
    func invoke(_ name: String, payload: Any, headers: [String: String] = [:]) async throws -> Reply {
        try await request(
            .post, "/2015-03-31/functions/\(name)/invocations", port: awsPort, headers: headers,
            body: try JSONSerialization.data(withJSONObject: payload))
    }
}
