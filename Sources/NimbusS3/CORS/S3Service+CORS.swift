import HTTPTypes
import Hummingbird

/// PutBucketCors, GetBucketCors, DeleteBucketCors; preflight `OPTIONS` requests; and the CORS
/// headers of cross-origin requests, so a browser app can use presigned URLs against the endpoint.
extension S3Service {
    func putBucketCORS(_ request: S3Request, bucket name: String) async throws -> Response {
        try await putBucketDocument(request, bucket: name) { (bucket, cors: CORSConfiguration) in
            try bucket.setCORS(cors)
        }
    }

    func getBucketCORS(_ request: S3Request, bucket name: String) throws -> Response {
        try bucketDocumentResponse(store.bucket(name).cors, missing: .noSuchCORSConfiguration(name))
    }

    func deleteBucketCORS(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        if bucket.cors != nil { try bucket.setCORS(nil) }
        return emptyResponse(.noContent)
    }

    /// Answers a browser's preflight (never signed) from the bucket's rules, with S3's errors
    /// when it has none or none admits the request.
    func preflight(_ request: S3Request) throws -> Response {
        guard let origin = request.header("Origin") else {
            throw S3Error("BadRequest", "Insufficient information. Origin request header needed.")
        }
        let method = request.header("Access-Control-Request-Method")
        guard let method, CORSRule.methods.contains(method) else {
            throw S3Error("BadRequest", "Invalid Access-Control-Request-Method: \(method ?? "null")")
        }
        let forbidden = { (message: String) in
            S3Error(
                "AccessForbidden", "CORSResponse: \(message)",
                details: [("Method", method), ("ResourceType", request.rawKey == nil ? "BUCKET" : "OBJECT")])
        }
        guard let name = request.bucket, let bucket = try? store.bucket(name) else { throw forbidden("Bucket not found") }
        guard let cors = bucket.cors else { throw forbidden("CORS is not enabled for this bucket.") }
        let requestedHeaders = (request.header("Access-Control-Request-Headers") ?? "")
            .split(separator: ",").map { $0.trimmingXMLWhitespace().lowercased() }.filter { !$0.isEmpty }
        guard let rule = cors.rule(origin: origin, method: method, headers: requestedHeaders) else {
            throw forbidden(
                "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
            )
        }
        var headers = Self.corsHeaders(rule, origin: origin)
        if !requestedHeaders.isEmpty { headers[Self.allowHeaders] = requestedHeaders.joined(separator: ", ") }
        return emptyResponse(headers: headers)
    }

    /// The CORS headers S3 adds to a cross-origin request's response (success or error) when a
    /// rule of its bucket admits the origin and method; nil for same-origin requests.
    func corsHeaders(for request: S3Request) -> HTTPFields? {
        guard let origin = request.header("Origin"), let name = request.bucket,
            let cors = try? store.bucket(name).cors
        else { return nil }
        guard let rule = cors.rule(origin: origin, method: request.method.rawValue) else {
            return [Self.vary: Self.varyValue]
        }
        return Self.corsHeaders(rule, origin: origin)
    }

    private static func corsHeaders(_ rule: CORSRule, origin: String) -> HTTPFields {
        let allowOrigin = rule.allowOrigin(for: origin)
        var headers: HTTPFields = [
            allowOriginField: allowOrigin, allowMethods: rule.allowedMethods.joined(separator: ", "),
            vary: varyValue,
        ]
        if allowOrigin != "*" { headers[allowCredentials] = "true" }
        if !rule.exposeHeaders.isEmpty { headers[exposeHeaders] = rule.exposeHeaders.joined(separator: ", ") }
        if let maxAge = rule.maxAgeSeconds { headers[maxAgeField] = String(maxAge) }
        return headers
    }

    private static let allowOriginField = HTTPField.Name("Access-Control-Allow-Origin")!
    private static let allowMethods = HTTPField.Name("Access-Control-Allow-Methods")!
    private static let allowHeaders = HTTPField.Name("Access-Control-Allow-Headers")!
    private static let allowCredentials = HTTPField.Name("Access-Control-Allow-Credentials")!
    private static let exposeHeaders = HTTPField.Name("Access-Control-Expose-Headers")!
    private static let maxAgeField = HTTPField.Name("Access-Control-Max-Age")!
    private static let vary = HTTPField.Name("Vary")!
    private static let varyValue = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
}
