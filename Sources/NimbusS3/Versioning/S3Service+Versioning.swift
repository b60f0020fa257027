import HTTPTypes
import Hummingbird

/// GetBucketVersioning and PutBucketVersioning, and what every object operation shares about
/// versions: the `versionId` a request names and the `x-amz-version-id` it answers with.
extension S3Service {
    static let versionIDHeader = HTTPField.Name("x-amz-version-id")!
    static let deleteMarkerHeader = HTTPField.Name("x-amz-delete-marker")!

    func getBucketVersioning(_ request: S3Request, bucket name: String) throws -> Response {
        let bucket = try store.bucket(name)
        var xml = XMLWriter()
        xml.openRoot("VersioningConfiguration")
        if let status = bucket.versioning { xml.element("Status", status.rawValue) }
        xml.close("VersioningConfiguration")
        return xmlResponse(xml)
    }

    /// `Status` Enabled or Suspended; MFA delete cannot be enabled (Nimbus has no MFA devices).
    func putBucketVersioning(_ request: S3Request, bucket name: String) async throws -> Response {
        let bucket = try store.bucket(name)
        let document = try await parseXMLBody(request)
        guard document.name == "VersioningConfiguration" else { throw S3Error.malformedXML }
        if let mfaDelete = document.value("MfaDelete"), mfaDelete != "Disabled" {
            guard mfaDelete == "Enabled" else { throw S3Error.malformedXML }
            throw S3Error.notImplemented("MfaDelete")
        }
        guard let text = document.value("Status") else { return emptyResponse() }
        guard let status = VersioningStatus(rawValue: text) else { throw S3Error.malformedXML }
        try await storageWork { try bucket.setVersioning(status) }
        return emptyResponse()
    }

    /// The version a request's `versionId` names: nil without one, `.some(nil)` for `null`.
    func requestedVersion(_ request: S3Request) throws(S3Error) -> String?? {
        guard let text = request.query["versionId"] else { return nil }
        return .some(try VersionID.parse(text))
    }

    /// `x-amz-version-id` for an object of a bucket that has versioning configured (S3 sends none
    /// for a bucket that never had), or when the request named a version.
    static func versionHeaders(_ versionID: String?, bucket: any BucketStore, named: Bool = false) -> HTTPFields {
        guard bucket.versioning != nil || named else { return [:] }
        return [versionIDHeader: versionID ?? VersionID.null]
    }

    /// NoSuchVersion, as S3 words it.
    static func noSuchVersion(_ key: ObjectKey, _ versionID: String?) -> S3Error {
        S3Error(
            "NoSuchVersion", "The specified version does not exist.",
            details: [("Key", key.string), ("VersionId", versionID ?? VersionID.null)])
    }

    /// Opens the version a request names, or the current one: NoSuchKey (with the delete marker's
    /// headers when one hides the key), NoSuchVersion, or MethodNotAllowed for a delete marker
    /// named by its ID, as S3 answers.
    func openRequested(
        _ key: ObjectKey, version: String??, in bucket: any BucketStore, method: String, prefetch: Int
    ) throws -> StoredObject {
        guard let version else {
            guard let opened = try bucket.object(key, prefetch: prefetch) else { throw S3Error.noSuchKey(key.string) }
            guard opened.metadata.isDeleteMarker else { return opened }
            var error = S3Error.noSuchKey(key.string)
            error.headers[Self.deleteMarkerHeader] = "true"
            error.headers[Self.versionIDHeader] = opened.metadata.versionID ?? VersionID.null
            throw error
        }
        guard let opened = try bucket.object(key, versionID: version, prefetch: prefetch) else {
            throw Self.noSuchVersion(key, version)
        }
        if opened.metadata.isDeleteMarker {
            var error = S3Error.methodNotAllowed(method, resource: "DeleteMarker")
            error.headers[Self.deleteMarkerHeader] = "true"
            error.headers[Self.versionIDHeader] = version ?? VersionID.null
            error.headers[.lastModified] = HTTPDate.rfc1123(opened.metadata.lastModified)
            error.headers[.allow] = "DELETE"
            throw error
        }
        return opened
    }
}
