import Testing

@testable import NimbusS3

@Suite struct XMLWriterTests {
    @Test func escapesMarkupAndControlCharacters() {
        var xml = XMLWriter()
        xml.element("Key", "a<b>&\"c'\u{1}\td")
        #expect(xml.text.hasSuffix("<Key>a&lt;b&gt;&amp;&quot;c&apos;&#x1;\td</Key>"))
    }

    @Test func rootCarriesTheS3Namespace() {
        var xml = XMLWriter()
        xml.openRoot("ListBucketResult")
        xml.element("MaxKeys", 1000)
        xml.element("IsTruncated", false)
        xml.close("ListBucketResult")
        #expect(
            xml.text == #"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"#
        )
    }

    @Test func writtenDocumentsParseBack() throws {
        var xml = XMLWriter()
        xml.openRoot("Delete")
        xml.block("Object") { $0.element("Key", "ünï <&> 😀") }
        xml.close("Delete")
        let tree = try XMLReader.parse(xml.text)
        #expect(tree.child("Object")?.value("Key") == "ünï <&> 😀")
    }
}

@Suite struct XMLReaderTests {
    @Test func parsesAnS3RequestBody() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Part><PartNumber>1</PartNumber><ETag>&quot;abc&quot;</ETag></Part>
              <Part><PartNumber> 2 </PartNumber><ETag><![CDATA["d<e>f"]]></ETag></Part>
            </CompleteMultipartUpload>
            """
        let tree = try XMLReader.parse(body)
        #expect(tree.name == "CompleteMultipartUpload")
        let parts = tree.children("Part")
        #expect(parts.count == 2)
        #expect(parts[0].value("ETag") == "\"abc\"")
        #expect(parts[1].value("PartNumber") == "2")
        #expect(parts[1].value("ETag") == "\"d<e>f\"")
    }

    @Test func dropsNamespacePrefixesAndDecodesReferences() throws {
        let tree = try XMLReader.parse("<s3:Delete xmlns:s3='x'><s3:Key>a&#65;&#x42;&lt;</s3:Key><Quiet/></s3:Delete>")
        #expect(tree.name == "Delete")
        #expect(tree.value("Key") == "aAB<")
        #expect(tree.child("Quiet") != nil)
    }

    @Test(arguments: [
        "", "<a>", "<a></b>", "<a><b></a></b>", "plain text", "<a>&unknown;</a>", "<a>&#xZZ;</a>", "<a/><b/>",
        "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "<a attr=unquoted/>", "<a>\u{FFFD}</a",
    ])
    func rejectsMalformedDocuments(_ document: String) {
        #expect(throws: XMLReader.Failure.self) { try XMLReader.parse(document) }
    }

    @Test func rejectsDeepNesting() {
        let document = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: XMLReader.Failure.self) { try XMLReader.parse(document) }
    }
}
