import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NimbusS3

@Suite struct CORSOperationTests {
    static let configuration = """
        <CORSConfiguration><CORSRule><AllowedOrigin>http://localhost:5173</AllowedOrigin>\
        <AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>content-type</AllowedHeader>\
        <AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>\
        <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>
        """

    static func preflight(_ origin: String?, _ method: String?, headers requested: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [:]
        if let origin { headers[HTTPField.Name("Origin")!] = origin }
        if let method { headers[HTTPField.Name("Access-Control-Request-Method")!] = method }
        if let requested { headers[HTTPField.Name("Access-Control-Request-Headers")!] = requested }
        return headers
    }

    @Test func putGetDeleteConfigurationSurvivesReopening() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/web")
            let missing = try await client.s3(.get, "/web?cors")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "NoSuchCORSConfiguration")
            #expect(try await client.s3(.put, "/web?cors", body: Self.configuration).status == .ok)
            let malformed = try await client.s3(.put, "/web?cors", body: "<CORSConfiguration/>")
            #expect(malformed.errorCode == "MalformedXML")
            #expect(try await client.s3(.put, "/nope?cors", body: Self.configuration).errorCode == "NoSuchBucket")
        }
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            let stored = try await client.s3(.get, "/web?cors")
            #expect(stored.status == .ok)
            #expect(stored.xml?.children("CORSRule").count == 2)
            #expect(try await client.s3(.delete, "/web?cors").status == .noContent)
            #expect(try await client.s3(.get, "/web?cors").errorCode == "NoSuchCORSConfiguration")
            #expect(try await client.s3(.delete, "/web?cors").status == .noContent)
        }
    }

    @Test func preflightIsAnsweredFromTheRules() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/web")
            let disabled = try await client.s3(.options, "/web/a.txt", headers: Self.preflight("http://localhost:5173", "PUT"))
            #expect(disabled.status == .forbidden)
            #expect(disabled.errorCode == "AccessForbidden")
            #expect(disabled.text.contains("CORS is not enabled for this bucket."))
            try await client.s3(.put, "/web?cors", body: Self.configuration)

            let allowed = try await client.s3(
                .options, "/web/a.txt?X-Amz-Signature=abc",
                headers: Self.preflight("http://localhost:5173", "PUT", headers: "Content-Type, X-Amz-Date"))
            #expect(allowed.status == .ok)
            #expect(allowed.header("Access-Control-Allow-Origin") == "http://localhost:5173")
            #expect(allowed.header("Access-Control-Allow-Methods") == "GET, PUT")
            #expect(allowed.header("Access-Control-Allow-Headers") == "content-type, x-amz-date")
            #expect(allowed.header("Access-Control-Expose-Headers") == "ETag")
            #expect(allowed.header("Access-Control-Max-Age") == "600")
            #expect(allowed.header("Access-Control-Allow-Credentials") == "true")
            #expect(allowed.header("Vary")?.hasPrefix("Origin") == true)

            let anyOrigin = try await client.s3(.options, "/web/a.txt", headers: Self.preflight("https://other.test", "HEAD"))
            #expect(anyOrigin.header("Access-Control-Allow-Origin") == "*")
            #expect(anyOrigin.header("Access-Control-Allow-Credentials") == nil)

            for (headers, status, code) in [
                (Self.preflight("https://other.test", "PUT"), HTTPResponse.Status.forbidden, "AccessForbidden"),
                (Self.preflight("http://localhost:5173", "PUT", headers: "authorization"), .forbidden, "AccessForbidden"),
                (Self.preflight(nil, "PUT"), .badRequest, "BadRequest"),
                (Self.preflight("http://localhost:5173", nil), .badRequest, "BadRequest"),
                (Self.preflight("http://localhost:5173", "PATCH"), .badRequest, "BadRequest"),
            ] {
                let refused = try await client.s3(.options, "/web/a.txt", headers: headers)
                #expect(refused.status == status)
                #expect(refused.errorCode == code)
            }
            let noBucket = try await client.s3(.options, "/nope/a.txt", headers: Self.preflight("http://localhost:5173", "GET"))
            #expect(noBucket.errorCode == "AccessForbidden")
            #expect(noBucket.text.contains("Bucket not found"))
        }
    }

    @Test func crossOriginResponsesCarryTheMatchingRulesHeaders() async throws {
        let directory = try TemporaryDirectory()
        try await S3Test.withRouter(try S3Test.service(directory.path)) { client in
            try await client.s3(.put, "/web")
            try await client.s3(.put, "/web?cors", body: Self.configuration)
            let origin: HTTPFields = [HTTPField.Name("Origin")!: "http://localhost:5173"]
            let put = try await client.s3(.put, "/web/a.txt", headers: origin, body: "hello")
            #expect(put.status == .ok)
            #expect(put.header("Access-Control-Allow-Origin") == "http://localhost:5173")
            #expect(put.header("Access-Control-Expose-Headers") == "ETag")
            let missing = try await client.s3(.get, "/web/none", headers: origin)
            #expect(missing.errorCode == "NoSuchKey")
            #expect(missing.header("Access-Control-Allow-Origin") == "http://localhost:5173")
            let delete = try await client.s3(.delete, "/web/a.txt", headers: origin)  // DELETE is not allowed
            #expect(delete.status == .noContent)
            #expect(delete.header("Access-Control-Allow-Origin") == nil)
            #expect(delete.header("Vary") != nil)
            let sameOrigin = try await client.s3(.get, "/web/none")
            #expect(sameOrigin.header("Access-Control-Allow-Origin") == nil)
            #expect(sameOrigin.header("Vary") == nil)
        }
    }
}
