import NimbusCore
import Testing

@testable import NimbusS3

@Suite struct CORSConfigurationTests {
    static func parse(_ xml: String) throws(S3Error) -> CORSConfiguration {
        try CORSConfiguration(xml: Array(xml.utf8))
    }

    static func rule(_ body: String) -> String {
        "<CORSConfiguration><CORSRule>\(body)</CORSRule></CORSConfiguration>"
    }

    @Test func parsesRulesAndKeepsTheDocumentAsWritten() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
            <CORSRule><ID>app</ID><AllowedOrigin>http://localhost:5173</AllowedOrigin><AllowedOrigin>https://*.example.com</AllowedOrigin>
            <AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>
            <ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>
            <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule>
            </CORSConfiguration>
            """
        let configuration = try Self.parse(xml)
        #expect(configuration.xml.hasPrefix("<CORSConfiguration xmlns="))
        #expect(configuration.rules.count == 2)
        #expect(
            configuration.rules[0]
                == CORSRule(
                    id: "app", allowedOrigins: ["http://localhost:5173", "https://*.example.com"],
                    allowedMethods: ["GET", "PUT"], allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 3000))
        #expect(configuration.rules[1] == CORSRule(allowedOrigins: ["*"], allowedMethods: ["HEAD"]))
    }

    @Test(arguments: [
        ("<Other/>", "MalformedXML"),
        ("<CORSConfiguration></CORSConfiguration>", "MalformedXML"),
        ("not xml", "MalformedXML"),
        (rule("<AllowedMethod>GET</AllowedMethod>"), "MalformedXML"),
        (rule("<AllowedOrigin>*</AllowedOrigin>"), "MalformedXML"),
        (rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>"), "InvalidRequest"),
        (rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod>"), "InvalidRequest"),
        (rule("<AllowedOrigin>http://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"), "InvalidRequest"),
        (rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-*-*</AllowedHeader>"),
            "InvalidRequest"),
        (rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds>"),
            "MalformedXML"),
        (rule("<ID>\(String(repeating: "i", count: 256))</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"),
            "InvalidArgument"),
    ])
    func rejectsInvalidDocuments(_ xml: String, _ code: String) {
        do {
            _ = try Self.parse(xml)
            Issue.record("expected \(code)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func atMostAHundredRules() throws {
        let rule = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"
        #expect(try Self.parse("<CORSConfiguration>\(String(repeating: rule, count: 100))</CORSConfiguration>").rules.count == 100)
        #expect(throws: S3Error.self) {
            try Self.parse("<CORSConfiguration>\(String(repeating: rule, count: 101))</CORSConfiguration>")
        }
    }

    @Test func matchesOriginsMethodsAndHeadersInRuleOrder() throws {
        let configuration = try Self.parse(
            "<CORSConfiguration>"
                + "<CORSRule><ID>first</ID><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>"
                + "<AllowedHeader>Content-Type</AllowedHeader><AllowedHeader>x-amz-*</AllowedHeader></CORSRule>"
                + "<CORSRule><ID>second</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"
                + "</CORSConfiguration>")
        let put = configuration.rule(
            origin: "https://app.example.com", method: "PUT", headers: ["content-type", "x-amz-date"])
        #expect(put?.id == "first")
        #expect(configuration.rule(origin: "https://example.com", method: "PUT") == nil)  // `*.` needs a subdomain
        #expect(configuration.rule(origin: "https://app.example.com", method: "PUT", headers: ["authorization"]) == nil)
        #expect(configuration.rule(origin: "https://app.example.com", method: "GET")?.id == "second")
        #expect(configuration.rule(origin: "http://anything", method: "DELETE") == nil)
        #expect(configuration.rule(origin: "http://anything", method: "GET", headers: ["range"]) == nil)
    }

    @Test func wildcardPatterns() {
        #expect(CORSRule.matches("http://localhost:3000", pattern: "http://localhost:*"))
        #expect(CORSRule.matches("anything", pattern: "*"))
        #expect(CORSRule.matches("x-amz-meta-a", pattern: "x-amz-*"))
        #expect(!CORSRule.matches("x-am", pattern: "x-amz-*"))
        #expect(!CORSRule.matches("ab", pattern: "ab*ba"))  // prefix and suffix may not overlap
        #expect(!CORSRule.matches("http://LOCALHOST", pattern: "http://localhost"))
    }

    @Test func convertsCloudFormationShape() throws {
        let properties: JSONValue = .object([
            "CorsRules": .array([
                .object([
                    "Id": .string("web"), "AllowedOrigins": .array([.string("http://localhost:5173")]),
                    "AllowedMethods": .array([.string("GET"), .string("PUT")]),
                    "AllowedHeaders": .array([.string("*")]), "ExposedHeaders": .array([.string("ETag")]),
                    "MaxAge": .number(600),
                ])
            ])
        ])
        let configuration = try CORSConfiguration(cloudFormation: properties)
        #expect(
            configuration.rules == [
                CORSRule(
                    id: "web", allowedOrigins: ["http://localhost:5173"], allowedMethods: ["GET", "PUT"],
                    allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 600)
            ])
        #expect(configuration.xml.contains("<MaxAgeSeconds>600</MaxAgeSeconds>"))
        #expect(throws: S3Error.self) { try CORSConfiguration(cloudFormation: .object([:])) }
        let badMethod: JSONValue = .object([
            "CorsRules": .array([
                .object(["AllowedOrigins": .array([.string("*")]), "AllowedMethods": .array([.string("TRACE")])])
            ])
        ])
        #expect(throws: S3Error.self) { try CORSConfiguration(cloudFormation: badMethod) }
    }
}
