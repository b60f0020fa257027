import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusGateway
import NimbusSigV4

/// Verifies SigV4 `Authorization` headers on the AWS endpoint. By default any well-formed
/// signature passes (as local emulators do); in strict mode signatures are recomputed with
/// the configured credentials. Errors are rendered in each service's own dialect.
struct SignatureCheck: Sendable {
    let verifier: SigV4Verifier

    enum Dialect { case s3, json, restJSON }

    /// Returns a rejection, or nil (and possibly a request whose body was read to hash it).
    func check(_ request: inout Request, dialect: Dialect) async throws -> Response? {
        guard let authorization = request.headers[.authorization] else {
            // Anonymous requests pass unless strict; S3 checks its presigned URLs itself.
            let presigned = dialect == .s3 && Self.isPresigned(request.uri.query ?? "")
            guard verifier.strict, !presigned else { return nil }
            return reject(SigV4Error(code: "MissingAuthenticationToken", message: "Request is missing Authentication Token"), dialect: dialect)
        }
        guard authorization.hasPrefix("AWS4-HMAC-SHA256") || verifier.strict else { return nil }
        var payloadHash = request.headers[Self.contentSHA256] ?? ""
        if payloadHash.isEmpty && verifier.strict {
            // JSON and Lambda requests sign the body without sending its hash: read and hash it.
            let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            payloadHash = SHA256.hash(data: Data(buffer: body)).map { String(format: "%02x", $0) }.joined()
            request.body = .init(buffer: body)
        }
        // HTTP/1's Host header travels as the request's authority; SigV4 signs it as `host`.
        var headers: [(name: String, value: String)] = [("host", request.head.authority ?? "")]
        headers.reserveCapacity(request.headers.count + 1)
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        let signed = SigV4Request(
            method: request.method.rawValue, rawPath: request.uri.path, rawQuery: request.uri.query ?? "", headers: headers)
        switch verifier.verify(signed, payloadHash: payloadHash, now: Date()) {
        case .success: return nil
        case .failure(let error): return reject(error, dialect: dialect)
        }
    }

    private static let contentSHA256 = HTTPField.Name("x-amz-content-sha256")!

    private static func isPresigned(_ query: String) -> Bool {
        query.contains("X-Amz-Signature=") || query.contains("Signature=")
    }

    private func reject(_ error: SigV4Error, dialect: Dialect) -> Response {
        switch dialect {
        case .s3:
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(error.code)</Code><Message>\(Self.escape(error.message))</Message></Error>"
            return Response(status: .forbidden, headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
        case .json, .restJSON:
            let code = switch error.code {
            case "InvalidAccessKeyId": "UnrecognizedClientException"
            case "SignatureDoesNotMatch": "InvalidSignatureException"
            default: error.code
            }
            let message = code == "UnrecognizedClientException" ? "The security token included in the request is invalid." : error.message
            let status: HTTPResponse.Status = dialect == .json ? .badRequest : .forbidden
            let body = (try? JSONSerialization.data(withJSONObject: ["__type": code, "message": message])) ?? Data()
            return Response(
                status: status,
                headers: [.contentType: dialect == .json ? "application/x-amz-json-1.0" : "application/json", HTTPField.Name("x-amzn-ErrorType")!: code],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
