import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NimbusSigV4
import Synchronization
import Testing

@testable import NimbusS3

/// Records what it was asked and answers as configured.
final class RecordingVerifier: S3SignatureVerifier {
    let accept: Bool
    let seen = Mutex<[S3SignedRequest]>([])

    init(accept: Bool) { self.accept = accept }

    func verifyPresigned(_ request: S3SignedRequest) throws {
        seen.withLock { $0.append(request) }
        guard accept else { throw S3SignatureFailure(code: "SignatureDoesNotMatch", message: "no") }
    }

    func chunkVerifier(for request: S3SignedRequest) throws -> SigV4ChunkVerifier? {
        nil
    }

    var isStrict: Bool { !accept }

    func verifyPostPolicy(_ form: S3SignedForm) throws {
        guard accept else { throw S3SignatureFailure(code: "SignatureDoesNotMatch", message: "no") }
    }
}

@Suite struct PresignTests {
    static func amzDate(_ seconds: Int64) -> String {
        let c = HTTPDate.civil(seconds)
        func pad(_ v: Int64, _ width: Int = 2) -> String { String(repeating: "0", count: max(0, width - String(v).count)) + String(v) }
        return "\(pad(c.year, 4))\(pad(c.month))\(pad(c.day))T\(pad(c.hour))\(pad(c.minute))\(pad(c.second))Z"
    }

    static func v4Query(date: Int64, expires: Int) -> String {
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20250101%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=\(amzDate(date))&X-Amz-Expires=\(expires)&X-Amz-SignedHeaders=host&X-Amz-Signature="
            + String(repeating: "a", count: 64)
    }

    @Test func v4ExpiryFollowsTheServiceClock() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        let issued = service.clock.nowSeconds
        try await S3Test.withRouter(service) { client in
            try await client.s3(.put, "/bucket")
            let put = try await client.s3(.put, "/bucket/k?\(Self.v4Query(date: issued, expires: 60))", body: "signed")
            #expect(put.status == .ok)
            #expect(try await client.s3(.get, "/bucket/k?\(Self.v4Query(date: issued, expires: 60))").text == "signed")
            clock.advance(by: .seconds(61))
            let expired = try await client.s3(.get, "/bucket/k?\(Self.v4Query(date: issued, expires: 60))")
            #expect(expired.status == .forbidden)
            #expect(expired.errorCode == "AccessDenied")
            #expect(expired.xml?.value("Message") == "Request has expired")
            let late = try await client.s3(.put, "/bucket/late?\(Self.v4Query(date: issued, expires: 60))", body: "x")
            #expect(late.status == .forbidden)
            #expect(try await client.s3(.get, "/bucket/late").errorCode == "NoSuchKey")
        }
    }

    @Test func v2ExpiryUsesEpochSeconds() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let service = try S3Test.service(directory.path, clock: clock)
        let expires = service.clock.nowSeconds + 10
        let query = "AWSAccessKeyId=test&Signature=abc%3D&Expires=\(expires)"
        try await S3Test.withRouter(service) { client in
            try await client.s3(.put, "/bucket")
            #expect(try await client.s3(.put, "/bucket/k?\(query)", body: "v2").status == .ok)
            clock.advance(by: .seconds(11))
            #expect(try await client.s3(.get, "/bucket/k?\(query)").status == .forbidden)
            #expect(try await client.s3(.get, "/bucket/k?AWSAccessKeyId=a&Signature=b&Expires=soon").errorCode == "AuthorizationQueryParametersError")
        }
    }

    @Test func malformedV4Parameters() async throws {
        let directory = try TemporaryDirectory()
        let service = try S3Test.service(directory.path)
        let now = service.clock.nowSeconds
        try await S3Test.withRouter(service) { client in
            try await client.s3(.put, "/bucket")
            for query in [
                Self.v4Query(date: now, expires: 604_801),
                Self.v4Query(date: now, expires: -1),
                "X-Amz-Signature=abc&X-Amz-Date=yesterday&X-Amz-Expires=60",
                "X-Amz-Signature=abc&X-Amz-Date=\(Self.amzDate(now))",
            ] {
                let response = try await client.s3(.get, "/bucket/k?\(query)")
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "AuthorizationQueryParametersError")
            }
        }
    }

    @Test func verifierDecidesOnTheSignature() async throws {
        let directory = try TemporaryDirectory()
        let rejecting = RecordingVerifier(accept: false)
        let accepting = RecordingVerifier(accept: true)
        let plain = try S3Test.service(directory.path)
        try await S3Test.withRouter(plain) { client in try await client.s3(.put, "/bucket") }
        let now = plain.clock.nowSeconds
        let query = Self.v4Query(date: now, expires: 300)

        try await S3Test.withRouter(try S3Test.service(directory.path, verifier: rejecting)) { client in
            let response = try await client.s3(.put, "/bucket/k?\(query)", body: "x")
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "SignatureDoesNotMatch")
            // Requests without query authentication are not the verifier's business.
            #expect(try await client.s3(.put, "/bucket/plain", body: "x").status == .ok)
        }
        let seen = try #require(rejecting.seen.withLock { $0.first })
        #expect(seen.version == .v4)
        #expect(seen.method == "PUT")
        #expect(seen.rawPath == "/bucket/k")
        #expect(seen.rawQuery == query)
        #expect(seen.headers.contains { $0.name == "host" })

        try await S3Test.withRouter(try S3Test.service(directory.path, verifier: accepting)) { client in
            let response = try await client.s3(.put, "/bucket/k?\(query)", body: "x")
            #expect(response.status == .ok)
        }
    }
}
