import Hummingbird

extension S3Service {
    /// DeleteObject: 204 whether or not the key existed, as S3 answers.
    func deleteObject(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let key = try request.key()
        _ = try await storageWork { try bucket.remove(key) }
        return emptyResponse(.noContent)
    }

    /// DeleteObjects: up to 1000 keys per request; `Quiet` reports only failures.
    func deleteObjects(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let document = try await parseXMLBody(request)
        guard document.name == "Delete" else { throw S3Error.malformedXML }
        let objects = document.children("Object")
        guard !objects.isEmpty, objects.count <= 1000 else { throw S3Error.malformedXML }
        let quiet = document.value("Quiet")?.lowercased() == "true"

        var valid: [(key: ObjectKey, expected: ObjectSummary?)] = []
        var errors: [(key: String, error: S3Error)] = []
        var deleted: [String] = []
        for object in objects {
            guard let keyText = object.child("Key")?.text else { throw S3Error.malformedXML }
            do {
                valid.append((try ObjectKey(validating: keyText), nil))
                deleted.append(keyText)
            } catch {
                errors.append((keyText, error))
            }
        }
        _ = try await storageWork { [valid] in try bucket.removeAll(valid) }

        var xml = XMLWriter()
        xml.openRoot("DeleteResult")
        if !quiet {
            for key in deleted { xml.block("Deleted") { $0.element("Key", key) } }
        }
        for (key, error) in errors {
            xml.block("Error") { xml in
                xml.element("Key", key)
                xml.element("Code", error.code)
                xml.element("Message", error.message)
            }
        }
        xml.close("DeleteResult")
        return xmlResponse(xml)
    }
}
