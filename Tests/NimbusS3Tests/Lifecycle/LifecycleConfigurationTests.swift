import NimbusCore
import Testing

@testable import NimbusS3

@Suite struct LifecycleConfigurationTests {
    static func parse(_ xml: String) throws(S3Error) -> LifecycleConfiguration {
        try LifecycleConfiguration(xml: Array(xml.utf8))
    }

    static func rule(_ body: String) -> String {
        "<LifecycleConfiguration><Rule>\(body)</Rule></LifecycleConfiguration>"
    }

    @Test func parsesRulesAndKeepsTheDocumentAsWritten() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
            <Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>
            <Rule><ID>date</ID><Prefix>tmp/</Prefix><Status>Disabled</Status><Expiration><Date>2031-01-01T00:00:00.000Z</Date></Expiration></Rule>
            <Rule><Filter><And><Prefix>big/</Prefix><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>
            <Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
            </LifecycleConfiguration>
            """
        let configuration = try Self.parse(xml)
        #expect(configuration.xml.hasPrefix("<LifecycleConfiguration xmlns="))
        #expect(configuration.rules.count == 3)
        #expect(configuration.rules[0] == LifecycleRule(id: "logs", isEnabled: true, prefix: "logs/", expirationDays: 7))
        #expect(configuration.rules[1].prefix == "tmp/")
        #expect(configuration.rules[1].isEnabled == false)
        #expect(configuration.rules[1].expirationDate == HTTPDate.seconds(year: 2031, month: 1, day: 1))
        #expect(configuration.rules[2].tags == ["k": "v"])
        #expect(configuration.rules[2].objectSizeGreaterThan == 10)
        #expect(configuration.rules[2].abortIncompleteUploadDays == 3)
    }

    @Test(arguments: [
        ("<Other/>", "MalformedXML"),
        ("<LifecycleConfiguration></LifecycleConfiguration>", "MalformedXML"),
        ("not xml", "MalformedXML"),
        (rule("<Status>Maybe</Status><Expiration><Days>1</Days></Expiration>"), "MalformedXML"),
        (rule("<Status>Enabled</Status><Expiration><Days>0</Days></Expiration>"), "InvalidArgument"),
        (rule("<Status>Enabled</Status><Expiration><Days>x</Days></Expiration>"), "InvalidArgument"),
        (rule("<Status>Enabled</Status><Expiration><Date>2031-01-01T10:00:00Z</Date></Expiration>"), "InvalidArgument"),
        (rule("<Status>Enabled</Status><Expiration><Days>1</Days><Date>2031-01-01T00:00:00Z</Date></Expiration>"),
            "MalformedXML"),
        (rule("<Status>Enabled</Status><Filter/><Prefix>a</Prefix><Expiration><Days>1</Days></Expiration>"),
            "MalformedXML"),
        (rule("<Status>Enabled</Status><Filter/>"), "InvalidRequest"),
        (rule("<ID>\(String(repeating: "i", count: 256))</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"),
            "InvalidArgument"),
        ("<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
            + "<Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule></LifecycleConfiguration>",
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

    @Test func convertsCloudFormationShape() throws {
        let properties: JSONValue = .object([
            "Rules": .array([
                .object([
                    "Id": .string("ExpireAfter7Days"), "Status": .string("Enabled"), "ExpirationInDays": .number(7),
                ]),
                .object([
                    "Id": .string("Logs"), "Status": .string("Enabled"), "Prefix": .string("logs/"),
                    "ExpirationInDays": .string("30"),
                    "AbortIncompleteMultipartUpload": .object(["DaysAfterInitiation": .number(2)]),
                ]),
                .object([
                    "Status": .string("Disabled"), "ExpirationDate": .string("2031-01-01T00:00:00Z"),
                    "TagFilters": .array([.object(["Key": .string("team"), "Value": .string("a")])]),
                    "ObjectSizeGreaterThan": .number(100),
                ]),
            ])
        ])
        let configuration = try LifecycleConfiguration(cloudFormation: properties)
        #expect(configuration.rules.count == 3)
        #expect(configuration.rules[0] == LifecycleRule(id: "ExpireAfter7Days", isEnabled: true, expirationDays: 7))
        #expect(configuration.xml.contains("<Expiration><Days>7</Days></Expiration>"))
        #expect(configuration.xml.contains("<Filter><Prefix></Prefix></Filter>"))
        #expect(configuration.rules[1].prefix == "logs/")
        #expect(configuration.rules[1].expirationDays == 30)
        #expect(configuration.rules[1].abortIncompleteUploadDays == 2)
        #expect(configuration.rules[2].tags == ["team": "a"])
        #expect(configuration.rules[2].objectSizeGreaterThan == 100)
        #expect(configuration.xml.contains("<And>"))
    }

    @Test func cloudFormationWithoutRulesIsRejected() {
        #expect(throws: S3Error.self) { try LifecycleConfiguration(cloudFormation: .object([:])) }
    }
}

@Suite struct LifecycleRuleTests {
    static let day = LifecycleRule.day

    @Test func daysRoundUpToTheNextMidnightUTC() {
        let rule = LifecycleRule(id: nil, isEnabled: true, expirationDays: 7)
        let created = HTTPDate.seconds(year: 2025, month: 3, day: 1, hour: 13, minute: 5)
        #expect(rule.expiration(lastModified: created) == HTTPDate.seconds(year: 2025, month: 3, day: 9))
        let midnight = HTTPDate.seconds(year: 2025, month: 3, day: 1)
        #expect(rule.expiration(lastModified: midnight) == HTTPDate.seconds(year: 2025, month: 3, day: 8))
    }

    @Test func dateRulesExpireAtTheirDate() {
        let date = HTTPDate.seconds(year: 2030, month: 1, day: 1)
        let rule = LifecycleRule(id: nil, isEnabled: true, expirationDate: date)
        #expect(rule.expiration(lastModified: 0) == date)
    }

    @Test func filters() {
        var rule = LifecycleRule(id: nil, isEnabled: true, prefix: "logs/", expirationDays: 1)
        #expect(rule.matches(key: "logs/a", size: 1))
        #expect(!rule.matches(key: "data/a", size: 1))
        rule.objectSizeGreaterThan = 10
        rule.objectSizeLessThan = 20
        #expect(!rule.matches(key: "logs/a", size: 10))
        #expect(rule.matches(key: "logs/a", size: 11))
        #expect(!rule.matches(key: "logs/a", size: 20))
        rule.tags = ["k": "v"]
        #expect(!rule.matches(key: "logs/a", size: 15))  // an untagged object
        let tagged = { try! TagSet(validating: [("k", "v"), ("other", "x")], for: .object) }
        #expect(rule.matches(key: "logs/a", size: 15, objectTags: tagged))
        #expect(!rule.matches(key: "logs/a", size: 15) { try! TagSet(validating: [("k", "w")], for: .object) })
        #expect(!rule.matches(key: "data/a", size: 15, objectTags: tagged))
        #expect(!LifecycleRule(id: nil, isEnabled: false, expirationDays: 1).matches(key: "a", size: 1))
    }
}
