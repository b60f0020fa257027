import Crypto

/// The body of CompleteMultipartUpload, and its validation against the uploaded parts.
struct CompleteMultipartRequest: Sendable {
    struct Part: Sendable, Equatable {
        var number: Int
        /// Without quotes.
        var etag: String
    }

    let parts: [Part]

    init(_ document: XMLTree) throws(S3Error) {
        guard document.name == "CompleteMultipartUpload" else { throw S3Error.malformedXML }
        let elements = document.children("Part")
        guard !elements.isEmpty, elements.count <= 10_000 else { throw S3Error.malformedXML }
        var parts: [Part] = []
        for element in elements {
            guard let numberText = element.value("PartNumber"), let number = Int(numberText),
                let etagText = element.value("ETag")
            else { throw S3Error.malformedXML }
            parts.append(Part(number: number, etag: Self.unquoted(etagText)))
        }
        self.parts = parts
    }

    init(parts: [Part]) {
        self.parts = parts
    }

    /// The parts to assemble, in order, with their stored metadata; S3's errors in S3's order:
    /// InvalidPartOrder, then InvalidPart (missing, or ETag mismatch), then EntityTooSmall.
    func validate(against uploaded: [Int: ObjectMetadata], minimumPartSize: Int64) throws(S3Error) -> [ObjectMetadata] {
        for (previous, next) in zip(parts, parts.dropFirst()) where next.number <= previous.number {
            throw S3Error.invalidPartOrder
        }
        var result: [ObjectMetadata] = []
        for part in parts {
            guard (1...10_000).contains(part.number), let stored = uploaded[part.number], stored.etag == part.etag else {
                throw S3Error.invalidPart(part.number, etag: "\"\(part.etag)\"")
            }
            result.append(stored)
        }
        for (index, part) in result.enumerated() where index < result.count - 1 && part.size < minimumPartSize {
            var error = S3Error.entityTooSmall
            error.details = [
                ("ProposedSize", String(part.size)), ("MinSizeAllowed", String(minimumPartSize)),
                ("PartNumber", String(parts[index].number)), ("ETag", "\"\(part.etag)\""),
            ]
            throw error
        }
        return result
    }

    /// `<md5 of the concatenated binary part MD5s>-<part count>`.
    static func multipartETag(_ partETags: [String]) -> String {
        var md5 = Insecure.MD5()
        for etag in partETags {
            md5.update(data: Hex.decode(etag) ?? [])
        }
        return "\(Hex.encode(md5.finalize()))-\(partETags.count)"
    }

    static func unquoted(_ etag: String) -> String {
        var tag = Substring(etag.trimmingXMLWhitespace())
        if tag.hasPrefix("\"") { tag = tag.dropFirst() }
        if tag.hasSuffix("\"") { tag = tag.dropLast() }
        return String(tag)
    }
}
