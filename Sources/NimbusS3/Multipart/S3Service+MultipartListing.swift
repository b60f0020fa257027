import Hummingbird

/// ListParts and ListMultipartUploads.
extension S3Service {
    func listParts(_ request: S3Request, bucket name: String, uploadID: String) throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        let upload = try uploadFor(bucket, uploadID: uploadID, key: key)
        let maxParts = min(try request.query.integer("max-parts", in: 0...Int.max) ?? 1000, 1000)
        let marker = try request.query.integer("part-number-marker", in: 0...Int.max) ?? 0
        let all = try bucket.parts(uploadID: uploadID).filter { $0.key > marker }.sorted { $0.key < $1.key }
        let page = all.prefix(maxParts)
        let isTruncated = all.count > page.count

        var xml = XMLWriter()
        xml.openRoot("ListPartsResult")
        xml.element("Bucket", bucket.name)
        xml.element("Key", upload.key)
        xml.element("UploadId", upload.id)
        ownerXML(&xml, element: "Initiator")
        ownerXML(&xml)
        xml.element("StorageClass", upload.settings.storageClass.rawValue)
        xml.element("PartNumberMarker", marker)
        if let last = page.last { xml.element("NextPartNumberMarker", last.key) }
        xml.element("MaxParts", maxParts)
        xml.element("IsTruncated", isTruncated)
        if let algorithm = upload.checksumAlgorithm {
            xml.element("ChecksumAlgorithm", algorithm.rawValue.uppercased())
            xml.element("ChecksumType", upload.fullObjectChecksum ? "FULL_OBJECT" : "COMPOSITE")
        }
        for (number, part) in page {
            xml.open("Part")
            xml.element("PartNumber", number)
            xml.element("LastModified", HTTPDate.iso8601(part.lastModified))
            xml.element("ETag", "\"\(part.etag)\"")
            xml.element("Size", part.size)
            for (algorithm, value) in part.checksums {
                if let parsed = ChecksumAlgorithm(rawValue: algorithm) { xml.element(parsed.xmlName, value) }
            }
            xml.close("Part")
        }
        xml.close("ListPartsResult")
        return xmlResponse(xml)
    }

    func listMultipartUploads(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        let query = request.query
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = query["key-marker"] ?? ""
        let uploadIDMarker = query["upload-id-marker"] ?? ""
        let maxUploads = min(try query.integer("max-uploads", in: 0...Int.max) ?? 1000, 1000)
        let encodeURL = query["encoding-type"] == "url"
        let encode: (String) -> String = { encodeURL ? PercentEncoding.encodeKey($0) : $0 }

        var uploads: [MultipartUpload] = []
        var commonPrefixes: [String] = []
        var isTruncated = false
        let index = KeyIndex()
        for upload in try bucket.uploads() where upload.key.utf8.starts(with: prefix.utf8) {
            if !keyMarker.isEmpty {
                if upload.key.precedesInBinaryOrder(keyMarker) { continue }
                if upload.key == keyMarker && (uploadIDMarker.isEmpty || upload.id <= uploadIDMarker) { continue }
            }
            if let delimiter, let rolledUp = index.commonPrefix(of: upload.key, prefix: prefix, delimiter: delimiter) {
                if commonPrefixes.last == rolledUp { continue }
                if uploads.count + commonPrefixes.count == maxUploads {
                    isTruncated = true
                    break
                }
                commonPrefixes.append(rolledUp)
                continue
            }
            if uploads.count + commonPrefixes.count == maxUploads {
                isTruncated = true
                break
            }
            uploads.append(upload)
        }

        var xml = XMLWriter()
        xml.openRoot("ListMultipartUploadsResult")
        xml.element("Bucket", bucket.name)
        xml.element("KeyMarker", encode(keyMarker))
        xml.element("UploadIdMarker", uploadIDMarker)
        if isTruncated, let last = uploads.last {
            xml.element("NextKeyMarker", encode(last.key))
            xml.element("NextUploadIdMarker", last.id)
        }
        if query["encoding-type"] == "url" { xml.element("EncodingType", "url") }
        xml.element("MaxUploads", maxUploads)
        xml.element("IsTruncated", isTruncated)
        if !prefix.isEmpty { xml.element("Prefix", encode(prefix)) }
        if let delimiter { xml.element("Delimiter", encode(delimiter)) }
        for upload in uploads {
            xml.open("Upload")
            xml.element("Key", encode(upload.key))
            xml.element("UploadId", upload.id)
            ownerXML(&xml, element: "Initiator")
            ownerXML(&xml)
            xml.element("StorageClass", upload.settings.storageClass.rawValue)
            xml.element("Initiated", HTTPDate.iso8601(upload.initiated))
            if let algorithm = upload.checksumAlgorithm {
                xml.element("ChecksumAlgorithm", algorithm.rawValue.uppercased())
            }
            xml.close("Upload")
        }
        for commonPrefix in commonPrefixes {
            xml.block("CommonPrefixes") { $0.element("Prefix", encode(commonPrefix)) }
        }
        xml.close("ListMultipartUploadsResult")
        return xmlResponse(xml)
    }
}
