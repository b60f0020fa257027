import ArgumentParser
import Hummingbird
import NIOCore
import NIOPosix

/// The benchmark baselines, served on the same machine so benchmarks can report what Nimbus adds:
/// `hummingbird`, a trivial route on the HTTP stack Nimbus is built on; `nio`, a bare SwiftNIO
/// HTTP/1.1 server that answers every request with a fixed response (what any Swift server here
/// pays for sockets, parsing and event loops).
struct BenchFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-floor", abstract: "Serve a trivial route (benchmark baseline).", shouldDisplay: false)

    enum Stack: String, ExpressibleByArgument { case hummingbird, nio }

    @Option(help: "Port to listen on.")
    var port: Int = 3999

    @Option(help: "hummingbird: POST /floor echoes its body; nio: every request gets 200 \"ok\".")
    var stack: Stack = .hummingbird

    func run() async throws {
        switch stack {
        case .hummingbird:
            let router = Router()
            router.post("floor") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
            try await app.runService()
        case .nio:
            try await NIOFloorServer.serve(port: port)
        }
    }
}
