import Foundation
import Testing

@testable import NimbusSigV4

@Suite struct CanonicalRequestTests {
    @Test(arguments: [
        // S3: the path as sent, then re-encoded canonically.
        ("s3", "/bucket/a%20b/%C3%BC%2B%25.txt", ["/bucket/a%20b/%C3%BC%2B%25.txt"]),
        ("s3", "/bucket/%7etilde", ["/bucket/%7etilde", "/bucket/~tilde"]),
        ("s3", "", ["/"]),
        ("s3", "/bucket//a/./b/../c", ["/bucket//a/./b/../c"]),
        // Everyone else: dot segments and empty segments removed, then encoded again.
        ("lambda", "/2015-03-31/functions/a%3Ab/invocations", ["/2015-03-31/functions/a%253Ab/invocations"]),
        ("dynamodb", "/a//b/./c/../d/", ["/a/b/d/"]),
        ("dynamodb", "", ["/"]),
    ])
    func canonicalURI(service: String, rawPath: String, expected: [String]) {
        #expect(CanonicalRequest.uris(rawPath: rawPath, service: service) == expected)
    }

    @Test(arguments: [
        ("b=2&a=1", ["a=1&b=2"]),
        ("tag=b&tag=a&flag&empty=", ["empty=&flag=&tag=a&tag=b"]),
        ("a=x%2fy&a=x%2Fy", ["a=x%2Fy&a=x%2fy", "a=x%2Fy&a=x%2Fy"]),
        ("q=a+b", ["q=a+b", "q=a%2Bb"]),
        ("&&a=1&", ["a=1"]),
        // Sorted by encoded name byte-wise: uppercase before lowercase.
        ("b=1&B=2&a=3", ["B=2&a=3&b=1"]),
    ])
    func canonicalQuery(rawQuery: String, expected: [String]) {
        #expect(CanonicalRequest.queries(rawQuery: rawQuery, excludingSignature: false) == expected)
    }

    @Test func presignedQueryLeavesOutOnlyTheSignature() {
        #expect(
            CanonicalRequest.queries(
                rawQuery: "X-Amz-Signature=abc&X-Amz-Date=1&x-amz-signature=k", excludingSignature: true)
                == ["X-Amz-Date=1&x-amz-signature=k"])
    }

    @Test func canonicalHeadersTrimCollapseAndJoin() {
        let request = SigV4Request(
            method: "GET", rawPath: "/",
            headers: [
                (name: "Host", value: " example.com "), (name: "X-Multi", value: "a  b"),
                (name: "x-multi", value: "\tc\t d "),
            ])
        #expect(
            CanonicalRequest.canonicalHeaders(request, signedHeaders: ["host", "x-multi"])
                == "host:example.com\nx-multi:a b,c d\n")
    }

    @Test(arguments: [
        ("a b", "a%20b"), ("ü", "%C3%BC"), ("-._~", "-._~"), ("/", "%2F"), ("+=&", "%2B%3D%26"),
    ])
    func percentEncoding(text: String, encoded: String) {
        #expect(PercentEncoding.encode(text) == encoded)
        #expect(PercentEncoding.decode(encoded) == Array(text.utf8))
    }

    @Test func malformedEscapesDecodeLiterally() {
        #expect(PercentEncoding.decode("100%") == Array("100%".utf8))
        #expect(PercentEncoding.decode("%zz%4") == Array("%zz%4".utf8))
    }

    @Test func timestampsRoundTrip() throws {
        let date = try #require(SigV4Timestamp.parse("20240229T235959Z"))
        #expect(date.timeIntervalSince1970 == 1_709_251_199)
        #expect(SigV4Timestamp.format(date) == "20240229T235959Z")
        #expect(SigV4Timestamp.format(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(SigV4Timestamp.parseHTTPDate("Thu, 29 Feb 2024 23:59:59 GMT") == date)
        for bad in ["20240229T235959", "20241329T000000Z", "2024-02-29T23:59:59Z", "20240229T2359591Z"] {
            #expect(SigV4Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}
