import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusGateway

/// Dispatches the AWS endpoint by protocol, the way the SDKs address one endpoint:
/// `X-Amz-Target` → the JSON services (DynamoDB, Logs), the router's own routes (Lambda's
/// `/2015-03-31/functions`) and everything else → S3.
struct AWSServiceMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    typealias JSONHandler = @Sendable (_ target: String, _ body: [UInt8]) async -> (status: Int, headers: [(String, String)], body: [UInt8])
    typealias RESTHandler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    /// Handlers by `X-Amz-Target` prefix (`DynamoDB_20120810`).
    let jsonServices: [String: JSONHandler]
    let s3: RESTHandler?
    let signatures: SignatureCheck
    static let jsonBodyLimit = 16 * 1024 * 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let target = request.headers[Self.targetField]
        let dialect: SignatureCheck.Dialect = target != nil ? .json : request.uri.path.hasPrefix("/2015-03-31/") ? .restJSON : .s3
        if let rejection = try await signatures.check(&request, dialect: dialect) { return rejection }
        if let target {
            let prefix = target.split(separator: ".", maxSplits: 1).first.map(String.init) ?? target
            guard let handler = jsonServices[prefix] else {
                return jsonError(400, "UnknownOperationException", "Unknown operation \(target)")
            }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: Self.jsonBodyLimit) } catch {
                return jsonError(413, "RequestEntityTooLarge", "Request body exceeds \(Self.jsonBodyLimit) bytes")
            }
            let answer = await handler(target, Array(buffer: body))
            var headers = HTTPFields()
            headers.reserveCapacity(answer.headers.count)
            for (name, value) in answer.headers {
                if let field = Self.fieldName(name) { headers.append(HTTPField(name: field, value: value)) }
            }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        if request.uri.path.hasPrefix("/2015-03-31/") {
            do { return try await next(request, context) } catch let error as HTTPError where error.status == .notFound {
                return InvokeControllerErrors.unknownOperation(request.uri.path)
            }
        }
        if let s3 { return try await s3(request, context) }
        return try await next(request, context)
    }

    private static let targetField = HTTPField.Name("X-Amz-Target")!
    /// The names every JSON response carries, validated once rather than per response.
    private static let responseFields: [String: HTTPField.Name] = Dictionary(
        uniqueKeysWithValues: ["Content-Type", "x-amzn-RequestId", "x-amz-crc32"].map { ($0, HTTPField.Name($0)!) })

    private static func fieldName(_ name: String) -> HTTPField.Name? {
        responseFields[name] ?? HTTPField.Name(name)
    }

    private func jsonError(_ status: Int, _ type: String, _ message: String) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["__type": type, "message": message])) ?? Data()
        return Response(
            status: .init(code: status), headers: [.contentType: "application/x-amz-json-1.0"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
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
