import NimbusCore
import Testing

@testable import NimbusS3

/// Seeded fuzzing of the XML reader and the request documents built on it: mutated S3 bodies and
/// random bytes either parse or fail with the reader's `Failure` / an S3Error (MalformedXML and
/// kin); none may trap.
@Suite struct XMLFuzzTests {
    static let documents = [
        "<Delete><Object><Key>a&amp;b</Key></Object><Quiet>true</Quiet></Delete>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part></CompleteMultipartUpload>",
        "<LifecycleConfiguration><Rule><ID>r</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And>"
            + "</Filter><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule></LifecycleConfiguration>",
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
            + "<MaxAgeSeconds>5</MaxAgeSeconds></CORSRule></CORSConfiguration>",
        "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>",
        "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
            + "<KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>",
    ].map { Array($0.utf8) }
    static let fragments = [
        "<", ">", "</", "/>", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "<!DOCTYPE x [<!ENTITY e \"y\">]>", "&e;",
        "&amp;", "&#0;", "&#x110000;", "&#99999999999;", "&", ";", "=", "\"", "'", "a='1'", "\u{0}", "\u{FEFF}", "x:",
        "<Part>", "</Part>", "<PartNumber>99999999999999999999</PartNumber>", "<Days>-1</Days>", "<Date>2024-02-30</Date>",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80]]

    static func mutate(_ document: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = document
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes.insert(contentsOf: fragments.randomElement(using: &random)!, at: position)
            case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &random)))
            case 2: if position < bytes.count { bytes[position] = UInt8.random(in: 0...255, using: &random) }
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    /// Parses `body` as every request document; only the module's errors may come out.
    static func exercise(_ body: [UInt8]) -> Bool {
        var parsed = false
        do throws(XMLReader.Failure) {
            _ = try XMLReader.parse(body)
            parsed = true
        } catch {
            #expect(!error.reason.isEmpty)
        }
        refusedAsS3Error { () throws(S3Error) in _ = try LifecycleConfiguration(xml: body) }
        refusedAsS3Error { () throws(S3Error) in _ = try CORSConfiguration(xml: body) }
        for root in ["Delete", "CompleteMultipartUpload", "Tagging", "ServerSideEncryptionConfiguration"] {
            refusedAsS3Error { () throws(S3Error) in
                let document = try XMLReader.document(body, root: root)
                switch root {
                case "CompleteMultipartUpload": _ = try CompleteMultipartRequest(document)
                case "Tagging": _ = try TagSet(document: document, for: .object)
                case "ServerSideEncryptionConfiguration": _ = try BucketEncryption(document: document)
                default: break
                }
            }
        }
        return parsed
    }

    static func refusedAsS3Error(_ body: () throws(S3Error) -> Void) {
        do throws(S3Error) {
            try body()
        } catch {
            #expect(!error.code.isEmpty && error.code != "InternalError", "\(error)")
        }
    }

    @Test func mutatedRequestDocumentsNeverTrap() {
        var random = SplitMix64(seed: 0x5_3000_0001)
        var parsed = 0
        for _ in 0..<3000 {
            if Self.exercise(Self.mutate(Self.documents.randomElement(using: &random)!, &random)) { parsed += 1 }
        }
        #expect(parsed > 0, "no mutated document ever parsed: the mutations are too blunt to reach the documents")
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix64(seed: 0xB7_7E5)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...96, using: &random)
            var bytes: [UInt8] = []
            while bytes.count < count {
                if Bool.random(using: &random) {
                    bytes += Self.fragments.randomElement(using: &random)!
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &random))
                }
            }
            _ = Self.exercise(bytes)
        }
    }

    @Test func entityDeclarationsAreRefused() {
        for body in [
            #"<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&e;</Key></Object></Delete>"#,
            #"<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1/x.dtd"><Delete/>"#,
            #"<Delete><!DOCTYPE d><Object><Key>k</Key></Object></Delete>"#,
        ] {
            #expect(throws: XMLReader.Failure.self) { try XMLReader.parse(body) }
        }
    }
}
