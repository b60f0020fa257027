import Foundation
import Hummingbird
import HummingbirdTesting
import NimbusCore
import Testing

@testable import NimbusGateway

struct FunctionsControllerTests {
    static func function(
        _ text: String, code: String = "/nonexistent", layers: [String] = [], reserved: Int? = nil
    ) -> FunctionConfiguration {
        FunctionConfiguration(
            name: name(text), logicalID: text.capitalized + "Function", runtime: "python3.12", handler: "app.handler",
            codePath: code, timeout: 2.5, environment: ["K": "v"], layers: layers, reservedConcurrency: reserved)
    }

    func withApp(_ functions: [FunctionConfiguration], _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: GatewayRequestContext.self)
        FunctionsController(
            functions: functions, region: "eu-west-1", accountID: "123456789012", deployed: Date(timeIntervalSince1970: 86_400.25)
        ).addRoutes(to: router)
        try await Application(router: router).test(.router, test)
    }

    @Test func listFunctionsPagesInNameOrder() async throws {
        try await withApp(["delta", "alpha", "charlie", "bravo"].map { Self.function($0) }) { client in
            var names: [String] = []
            var marker: String?
            var pages = 0
            repeat {
                let uri = "/2015-03-31/functions/?MaxItems=3" + (marker.map { "&Marker=\($0)" } ?? "")
                let page = try jsonObject(try await client.execute(uri: uri, method: .get).body)
                names += (page["Functions"] as? [[String: Any]] ?? []).compactMap { $0["FunctionName"] as? String }
                marker = page["NextMarker"] as? String
                pages += 1
            } while marker != nil
            #expect(names == ["alpha", "bravo", "charlie", "delta"])
            #expect(pages == 2)
        }
    }

    @Test(arguments: ["0", "10001", "-1", "ten"])
    func aMaxItemsOutsideOneToTenThousandIsInvalid(_ value: String) async throws {
        try await withApp([Self.function("alpha")]) { client in
            let response = try await client.execute(uri: "/2015-03-31/functions/?MaxItems=\(value)", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.headers[InvokeControllerTests.errorType] == "InvalidParameterValueException")
        }
    }

    @Test func getFunctionConfigurationInLambdasShape() async throws {
        try await withApp([Self.function("alpha", layers: ["/opt/layers/shared-deps"], reserved: 4)]) { client in
            let configuration = try jsonObject(try await client.execute(uri: "/2015-03-31/functions/alpha/configuration", method: .get).body)
            #expect(configuration["FunctionArn"] as? String == "arn:aws:lambda:eu-west-1:123456789012:function:alpha")
            #expect(configuration["Role"] as? String == "arn:aws:iam::123456789012:role/AlphaFunctionRole")
            #expect(configuration["Timeout"] as? Int == 3)  // whole seconds, as Lambda's API has them
            #expect(configuration["LastModified"] as? String == "1970-01-02T00:00:00.250+0000")
            #expect((configuration["Environment"] as? [String: Any])?["Variables"] as? [String: String] == ["K": "v"])
            #expect(configuration["CodeSize"] as? Int == 0)  // a missing folder holds nothing
            let layers = configuration["Layers"] as? [[String: Any]]
            #expect(layers?.first?["Arn"] as? String == "arn:aws:lambda:eu-west-1:123456789012:layer:shared-deps:1")
            let function = try jsonObject(try await client.execute(uri: "/2015-03-31/functions/alpha", method: .get).body)
            #expect((function["Concurrency"] as? [String: Int]) == ["ReservedConcurrentExecutions": 4])
            #expect((function["Configuration"] as? [String: Any])?["RevisionId"] as? String == configuration["RevisionId"] as? String)
        }
    }

    @Test(arguments: ["beta", "alpha%3Alive", "arn:aws:lambda:eu-west-1:123456789012:layer:alpha", "alpha?Qualifier="])
    func unknownFunctionsAreResourceNotFound(_ reference: String) async throws {
        try await withApp([Self.function("alpha")]) { client in
            let response = try await client.execute(uri: "/2015-03-31/functions/\(reference)", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[InvokeControllerTests.errorType] == "ResourceNotFoundException")
        }
    }

    @Test func codeDigestCoversPathsAndContents() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/lib", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("a".utf8).write(to: URL(fileURLWithPath: folder + "/lib/x.py"))
        let first = CodeDigest(folder: folder)
        #expect(first.size == 1)
        try FileManager.default.moveItem(atPath: folder + "/lib/x.py", toPath: folder + "/lib/y.py")
        let renamed = CodeDigest(folder: folder)
        #expect(renamed.size == 1 && renamed.sha256 != first.sha256)
        try Data("b".utf8).write(to: URL(fileURLWithPath: folder + "/lib/y.py"))
        #expect(CodeDigest(folder: folder).sha256 != renamed.sha256)
    }
}
