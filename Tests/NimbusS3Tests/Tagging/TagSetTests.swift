import NimbusCore
import Testing

@testable import NimbusS3

@Suite struct TagSetTests {
    static func pairs(_ tags: TagSet) -> [String] { tags.tags.map { "\($0.key)=\($0.value)" } }

    /// The S3 error `body` throws, nil when it succeeds.
    static func error(_ body: () throws -> TagSet) -> S3Error? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? S3Error ?? S3Error("unexpected", "\(error)")
        }
    }

    static func code(_ body: () throws -> TagSet) -> String? { error(body)?.code }

    @Test(arguments: [
        ("a=1&b=2", ["a=1", "b=2"]),
        ("b=2&a=1", ["a=1", "b=2"]),  // key order, whatever order they came in
        ("a&b=", ["a=", "b="]),
        ("a%20b=c%2Bd&e+f=g=h", ["a b=c+d", "e f=g=h"]),
        ("%C3%BC=%E6%96%87", ["ü=文"]),
        ("a=1&&b=2", ["a=1", "b=2"]),
        ("", []),
    ])
    func headerForms(header: String, expected: [String]) throws {
        #expect(Self.pairs(try TagSet(header: header)) == expected)
    }

    @Test func noHeaderIsNoTags() throws {
        #expect(try TagSet(header: nil).isEmpty)
    }

    @Test(arguments: ["a=1&a=2", "=1", "a=%FF", "a=%zz"])
    func malformedHeadersAreInvalidArgument(header: String) {
        do {
            _ = try TagSet(header: header)
            Issue.record("\(header) accepted")
        } catch {
            #expect(error.code == "InvalidArgument")
            #expect(error.message.hasPrefix("The header 'x-amz-tagging' shall be encoded as UTF-8"))
            #expect(error.details.map(\.value) == ["x-amz-tagging", header])
        }
    }

    @Test(arguments: [
        // (key, value, code, message)
        (String(repeating: "k", count: 129), "", "InvalidTag", "The TagKey you have provided is invalid"),
        ("", "v", "InvalidTag", "The TagKey you have provided is invalid"),
        ("k", String(repeating: "v", count: 257), "InvalidTag", "The TagValue you have provided is invalid"),
        ("a,b", "v", "InvalidTag", "The TagKey you have provided is invalid"),
        ("a\tb", "v", "InvalidTag", "The TagKey you have provided is invalid"),
        ("k", "a;b", "InvalidTag", "The TagValue you have provided is invalid"),
        ("k", "😀", "InvalidTag", "The TagValue you have provided is invalid"),
        ("aws:cost", "v", "InvalidTag", "System tags cannot be added/updated by requester"),
        ("AWS:cost", "v", "InvalidTag", "System tags cannot be added/updated by requester"),
    ])
    func invalidTags(key: String, value: String, code: String, message: String) {
        do {
            _ = try TagSet(validating: [(key, value)], for: .object)
            Issue.record("\(key)=\(value) accepted")
        } catch {
            #expect(error.code == code)
            #expect(error.message == message)
            #expect(error.details.first?.name == "TagKey")
        }
    }

    @Test func limitsAreInclusiveAndCountUTF16() throws {
        let longest = try TagSet(
            validating: [(String(repeating: "k", count: 128), String(repeating: "v", count: 256))], for: .object)
        #expect(longest.count == 1)
        // Letters outside the Basic Multilingual Plane take two UTF-16 units each.
        let astral = "\u{1D400}"  // MATHEMATICAL BOLD CAPITAL A, a letter
        #expect(throws: Never.self) { try TagSet(validating: [(String(repeating: astral, count: 64), "")], for: .object) }
        #expect(Self.code { try TagSet(validating: [(String(repeating: astral, count: 65), "")], for: .object) } == "InvalidTag")
        // Every symbol AWS allows, spaces and non-Latin letters and digits.
        #expect(throws: Never.self) { try TagSet(validating: [("a b_.:/=+-@", "Ünïcödé 文字 ٣")], for: .object) }
    }

    @Test func countLimitsPerOwner() {
        let eleven = (0..<11).map { (key: "k\($0)", value: "") }
        let fiftyOne = (0..<51).map { (key: "k\($0)", value: "") }
        #expect(throws: Never.self) { try TagSet(validating: Array(eleven.prefix(10)), for: .object) }
        #expect(throws: Never.self) { try TagSet(validating: Array(fiftyOne.prefix(50)), for: .bucket) }
        let objectError = Self.error { try TagSet(validating: eleven, for: .object) }
        #expect(objectError?.code == "BadRequest")
        #expect(objectError?.message == "Object tags cannot be greater than 10")
        let bucketError = Self.error { try TagSet(validating: fiftyOne, for: .bucket) }
        #expect(bucketError?.code == "BadRequest")
        #expect(bucketError?.message == "Bucket tag count cannot be greater than 50")
    }

    @Test func duplicateKeysInADocument() throws {
        let document = try XMLReader.parse(
            "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>")
        let duplicate = Self.error { try TagSet(document: document, for: .object) }
        #expect(duplicate?.code == "InvalidTag")
        #expect(duplicate?.message == "Cannot provide multiple Tags with the same key")
        #expect(duplicate?.details.first?.value == "a")
    }

    @Test func escapedCharactersAreCheckedAfterDecoding() throws {
        let document = try XMLReader.parse("<Tagging><TagSet><Tag><Key>a&amp;b</Key><Value>x</Value></Tag></TagSet></Tagging>")
        #expect(Self.code { try TagSet(document: document, for: .object) } == "InvalidTag")
    }

    @Test func documentRoundTripOfValidTags() throws {
        let body = """
            <Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>
              <Tag><Key>project</Key><Value> spaced value </Value></Tag>
              <Tag><Key>empty</Key><Value/></Tag>
            </TagSet></Tagging>
            """
        let tags = try TagSet(document: try XMLReader.parse(body), for: .object)
        #expect(Self.pairs(tags) == ["empty=", "project= spaced value "])
        let rendered = try XMLReader.parse(tags.document.text)
        #expect(rendered.name == "Tagging")
        #expect(try TagSet(document: rendered, for: .object) == tags)
        #expect(tags.document.text.contains("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"))
        #expect(TagSet.empty.document.text.hasSuffix("<TagSet></TagSet></Tagging>"))
    }

    @Test(arguments: [
        "<Tagging></Tagging>",
        "<Tags><TagSet></TagSet></Tags>",
        "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",
        "<Tagging><TagSet><Tag><Value>a</Value></Tag></TagSet></Tagging>",
        "<Tagging><TagSet><Other/></TagSet></Tagging>",
    ])
    func malformedDocuments(body: String) throws {
        let document = try XMLReader.parse(body)
        #expect(Self.code { try TagSet(document: document, for: .object) } == "MalformedXML")
    }

    @Test func cloudFormationTags() throws {
        let tags = try TagSet(
            cloudFormation: .array([
                .object(["Key": .string("team"), "Value": .string("storage")]),
                .object(["Key": .string("cost-centre"), "Value": .number(42)]),
            ]))
        #expect(Self.pairs(tags) == ["cost-centre=42", "team=storage"])
        #expect(Self.code { try TagSet(cloudFormation: .object([:])) } == "InvalidRequest")
        #expect(Self.code { try TagSet(cloudFormation: .array([.object(["Key": .string("k")])])) } == "InvalidRequest")
        #expect(Self.code { try TagSet(cloudFormation: .array([.object(["Key": .string("aws:x"), "Value": .string("")])])) } == "InvalidTag")
    }
}
