/// The `Tagging` document of PutObjectTagging / PutBucketTagging and their Get counterparts:
/// `<Tagging><TagSet><Tag><Key>…</Key><Value>…</Value></Tag>…</TagSet></Tagging>`.
extension TagSet {
    /// Reads a request document: MalformedXML unless it has that shape (every `Tag` needs both a
    /// `Key` and a `Value`, which may be empty), then the tags are validated for `owner`.
    init(document: XMLTree, for owner: Owner) throws(S3Error) {
        guard document.name == "Tagging", let set = document.child("TagSet") else { throw S3Error.malformedXML }
        var pairs: [(key: String, value: String)] = []
        for tag in set.children {
            // Key and value text is taken as sent: spaces are legal tag characters.
            guard tag.name == "Tag", let key = tag.child("Key")?.text, let value = tag.child("Value")?.text else {
                throw S3Error.malformedXML
            }
            pairs.append((key, value))
        }
        try self.init(validating: pairs, for: owner)
    }

    /// The response document.
    var document: XMLWriter {
        var xml = XMLWriter()
        xml.openRoot("Tagging")
        xml.block("TagSet") { xml in
            for tag in tags {
                xml.block("Tag") { xml in
                    xml.element("Key", tag.key)
                    xml.element("Value", tag.value)
                }
            }
        }
        xml.close("Tagging")
        return xml
    }
}
