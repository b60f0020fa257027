import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NimbusGateway
import NimbusSigV4

/// Verifies SigV4 `Authorization` headers on the AWS endpoint. By default any well-formed
/// signature passes (as local emulators do); in strict mode signatures are recomputed with
/// the configured credentials. Errors are rendered in each service's own dialect.
struct SignatureCheck: Sendable {
    let verifier: SigV4Verifier

    enum Dialect { case s3, json, restJSON }

    /// A rejection ready to write: status, header fields and body.
    struct Rejection {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: [UInt8]

        var response: Response {
            Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// For the router: returns a rejection, or nil (and possibly a request whose body was read to
    /// hash it).
    func check(_ request: inout Request, dialect: Dialect) async throws -> Response? {
        var payloadHash: String?
        let head = Head.types(request.head)
        if needsBodyHash(head) {
            let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            payloadHash = Self.sha256Hex(body.readableBytesView)
            request.body = .init(buffer: body)
        }
        return check(head, dialect: dialect, payloadHash: payloadHash)?.response
    }

    /// For a request below the HTTPTypes conversion (the JSON protocol's), its body in hand.
    func check(_ head: HTTPRequestHead, body: [UInt8], dialect: Dialect) -> Rejection? {
        let head = Head.nio(head)
        return check(head, dialect: dialect, payloadHash: needsBodyHash(head) ? Self.sha256Hex(body) : nil)
    }

    /// A request head in either HTTP model, as the check reads it.
    private enum Head {
        case types(HTTPRequest)
        case nio(HTTPRequestHead)

        var method: String {
            switch self {
            case .types(let head): head.method.rawValue
            case .nio(let head): head.method.rawValue
            }
        }

        /// The request target: raw path and query.
        var target: String {
            switch self {
            case .types(let head): head.path ?? "/"
            case .nio(let head): head.uri
            }
        }

        /// The first value of a header, by lowercase name.
        func field(_ name: String) -> String? {
            switch self {
            case .types(let head): HTTPField.Name(name).flatMap { head.headerFields[$0] }
            case .nio(let head): head.headers.first(name: name)
            }
        }

        /// Every header, `host` included (HTTPTypes carries HTTP/1's Host as the authority).
        var fields: [(name: String, value: String)] {
            switch self {
            case .types(let head):
                var fields: [(name: String, value: String)] = [("host", head.authority ?? "")]
                fields.reserveCapacity(head.headerFields.count + 1)
                for field in head.headerFields { fields.append((field.name.rawName, field.value)) }
                return fields
            case .nio(let head):
                return head.headers.map { ($0.name, $0.value) }
            }
        }
    }

    /// JSON and Lambda requests sign their body without sending its hash; strict mode must hash it.
    private func needsBodyHash(_ head: Head) -> Bool {
        guard verifier.strict, let authorization = head.field("authorization") else { return false }
        return authorization.hasPrefix("AWS4-HMAC-SHA256") && (head.field("x-amz-content-sha256") ?? "").isEmpty
    }

    private func check(_ head: Head, dialect: Dialect, payloadHash: String?) -> Rejection? {
        let (path, query) = Self.split(head.target)
        guard let authorization = head.field("authorization") else {
            // Anonymous requests pass unless strict; S3 checks its presigned URLs and POST forms
            // (whose signature is a form field) itself.
            let selfSigned = dialect == .s3 && (Self.isPresigned(query) || Self.isForm(head, query: query))
            guard verifier.strict, !selfSigned else { return nil }
            return reject(SigV4Error(code: "MissingAuthenticationToken", message: "Request is missing Authentication Token"), dialect: dialect)
        }
        guard authorization.hasPrefix("AWS4-HMAC-SHA256") || verifier.strict else { return nil }
        // A check of the form alone reads a few headers; only a strict one needs them all.
        let headers = verifier.strict
            ? head.fields : SigV4Verifier.headersReadWhenNotStrict.compactMap { name in head.field(name).map { (name, $0) } }
        let signed = SigV4Request(method: head.method, rawPath: path, rawQuery: query, headers: headers)
        switch verifier.verify(signed, payloadHash: payloadHash ?? head.field("x-amz-content-sha256") ?? "", now: Date()) {
        case .success: return nil
        case .failure(let error): return reject(error, dialect: dialect)
        }
    }

    private static let errorType = HTTPField.Name("x-amzn-ErrorType")!

    /// The raw path and query of a request target, neither decoded.
    private static func split(_ target: String) -> (path: String, query: String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }

    private static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A POST form upload: to a bucket's URL without a query. (Every other S3 POST names a
    /// sub-resource, `?delete`, `?uploads`, `?uploadId=`, and must be signed as usual.)
    private static func isForm(_ head: Head, query: String) -> Bool {
        head.method == "POST" && query.isEmpty
            && (head.field("content-type")?.lowercased().hasPrefix("multipart/form-data") ?? false)
    }

    private static func isPresigned(_ query: String) -> Bool {
        query.contains("X-Amz-Signature=") || query.contains("Signature=")
    }

    private func reject(_ error: SigV4Error, dialect: Dialect) -> Rejection {
        switch dialect {
        case .s3:
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(error.code)</Code><Message>\(Self.escape(error.message))</Message></Error>"
            return Rejection(status: .forbidden, headers: [.contentType: "application/xml"], body: Array(xml.utf8))
        case .json, .restJSON:
            let code = switch error.code {
            case "InvalidAccessKeyId": "UnrecognizedClientException"
            case "SignatureDoesNotMatch": "InvalidSignatureException"
            default: error.code
            }
            let message = code == "UnrecognizedClientException" ? "The security token included in the request is invalid." : error.message
            let body = (try? JSONSerialization.data(withJSONObject: ["__type": code, "message": message])) ?? Data()
            return Rejection(
                status: dialect == .json ? .badRequest : .forbidden,
                headers: [.contentType: dialect == .json ? "application/x-amz-json-1.0" : "application/json", Self.errorType: code],
                body: Array(body))
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
