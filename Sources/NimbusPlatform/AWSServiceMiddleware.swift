import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusGateway
import NimbusSigV4

/// Dispatches the AWS endpoint's REST requests by protocol, the way the SDKs address one
/// endpoint: Lambda's (`/2015-03-31/…`, or any path signed for the `lambda` service, since the
/// Lambda API has paths under other dates too) to the router's own routes, everything else → S3.
/// JSON-protocol requests (`X-Amz-Target`) never get here: `AWSJSONProtocolHandler` answers them
/// in the channel pipeline.
struct AWSServiceMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    typealias RESTHandler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    let s3: RESTHandler?
    let signatures: SignatureCheck

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let lambda = request.uri.path.hasPrefix("/2015-03-31/") || Self.isSignedForLambda(request)
        // Browsers never sign a CORS preflight; S3 answers it from the bucket's rules.
        let preflight = !lambda && request.method == .options
        if !preflight, let rejection = try await signatures.check(&request, dialect: lambda ? .restJSON : .s3) {
            return rejection
        }
        if lambda {
            do { return try await next(request, context) } catch let error as HTTPError where error.status == .notFound {
                return InvokeControllerErrors.unknownOperation(request.uri.path)
            }
        }
        if let s3 { return try await s3(request, context) }
        return try await next(request, context)
    }

    /// Lambda's paths start with an API date (`/2016-08-19/account-settings/`). A bucket may be
    /// named `2016-08-19`, but S3 requests are signed for `s3`; other paths are not parsed for it.
    static func isSignedForLambda(_ request: Request) -> Bool {
        let start = Array(request.uri.path.utf8.prefix(12))
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard start.count == 12, start[0] == UInt8(ascii: "/"), start[5] == UInt8(ascii: "-"), start[8] == UInt8(ascii: "-"),
            start[11] == UInt8(ascii: "/"), [1, 2, 3, 4, 6, 7, 9, 10].allSatisfy({ isDigit(start[$0]) }),
            let header = request.headers[.authorization]
        else { return false }
        return (try? SigV4.parseAuthorization(header))?.scope.service == "lambda"
    }
}

/// Lambda API paths Nimbus does not serve yet.
enum InvokeControllerErrors {
    static func unknownOperation(_ path: String) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["Type": "User", "message": "Unsupported Lambda API operation: \(path)"])) ?? Data()
        return Response(
            status: .notFound, headers: [.contentType: "application/json", HTTPField.Name("x-amzn-ErrorType")!: "UnknownOperationException"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
