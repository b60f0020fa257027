import ArgumentParser
import Hummingbird

/// The benchmark baseline: a trivial Hummingbird route on the same machine, so benchmarks can
/// report what Nimbus adds on top of the HTTP server itself.
struct BenchFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-floor", abstract: "Serve a trivial route (benchmark baseline).", shouldDisplay: false)

    @Option(help: "Port to listen on.")
    var port: Int = 3999

    func run() async throws {
        let router = Router()
        router.post("floor") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
