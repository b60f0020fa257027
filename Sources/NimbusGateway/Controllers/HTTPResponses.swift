import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusCore

/// Small helpers to build Hummingbird responses.
enum HTTPResponses {
    static func json(_ status: HTTPResponse.Status, _ object: Any, headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return raw(status, data, headers: headers)
    }

    static func raw(_ status: HTTPResponse.Status, _ body: Data, contentType: String = "application/json", headers: HTTPFields = [:]) -> Response {
        var fields = headers
        if fields[.contentType] == nil { fields[.contentType] = contentType }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func message(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, ["message": message])
    }

    static func proxy(_ response: ProxyResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// A Hummingbird request as the pure event builders see it.
    static func gatewayRequest(_ request: Request, body: Data, sourceIP: String) -> GatewayRequest {
        GatewayRequest(
            method: request.method.rawValue,
            rawPath: request.uri.path,
            rawQuery: request.uri.query ?? "",
            headers: request.headers.map { ($0.name.rawName, $0.value) },
            body: body,
            sourceIP: sourceIP
        )
    }
}
