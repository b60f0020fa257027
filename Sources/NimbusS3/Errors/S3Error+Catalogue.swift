/// The errors Nimbus raises, with AWS's exact codes and messages.
extension S3Error {
    static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error("NoSuchBucket", "The specified bucket does not exist", details: [("BucketName", bucket)])
    }

    static func noSuchKey(_ key: String) -> S3Error {
        S3Error("NoSuchKey", "The specified key does not exist.", details: [("Key", key)])
    }

    static func noSuchUpload(_ uploadID: String) -> S3Error {
        S3Error(
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
            details: [("UploadId", uploadID)])
    }

    static func noSuchLifecycleConfiguration(_ bucket: String) -> S3Error {
        S3Error(
            "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist",
            details: [("BucketName", bucket)])
    }

    static let malformedPOSTRequest = S3Error(
        "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
    static let maxPostPreDataLengthExceeded = S3Error(
        "MaxPostPreDataLengthExceeded", "Your POST request fields preceeding the upload file was too large.")

    static func noSuchCORSConfiguration(_ bucket: String) -> S3Error {
        S3Error(
            "NoSuchCORSConfiguration", "The CORS configuration does not exist", details: [("BucketName", bucket)])
    }

    static func bucketAlreadyOwnedByYou(_ bucket: String) -> S3Error {
        S3Error(
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.",
            details: [("BucketName", bucket)])
    }

    static func bucketNotEmpty(_ bucket: String) -> S3Error {
        S3Error(
            "BucketNotEmpty", "The bucket you tried to delete is not empty", details: [("BucketName", bucket)])
    }

    static func invalidBucketName(_ bucket: String) -> S3Error {
        S3Error("InvalidBucketName", "The specified bucket is not valid.", details: [("BucketName", bucket)])
    }

    static func keyTooLong(_ size: Int) -> S3Error {
        S3Error(
            "KeyTooLongError", "Your key is too long",
            details: [("MaxSizeAllowed", "1024"), ("Size", String(size))])
    }

    static func invalidArgument(_ message: String, name: String? = nil, value: String? = nil) -> S3Error {
        var details: [(name: String, value: String)] = []
        if let name { details.append(("ArgumentName", name)) }
        if let value { details.append(("ArgumentValue", value)) }
        return S3Error("InvalidArgument", message, details: details)
    }

    static func invalidRequest(_ message: String) -> S3Error {
        S3Error("InvalidRequest", message)
    }

    static let invalidURI = S3Error("InvalidURI", "Couldn't parse the specified URI.")

    /// A request the HTTP parser refused: a bad request line, header or body framing.
    static func badRequest(underlying: (any Error)? = nil) -> S3Error {
        S3Error("BadRequest", "An error occurred when parsing the HTTP request.", underlying: underlying)
    }

    static let malformedXML = S3Error(
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema")

    static func invalidRange(size: Int64, range: String) -> S3Error {
        S3Error(
            "InvalidRange", "The requested range is not satisfiable",
            details: [("RangeRequested", range), ("ActualObjectSize", String(size))])
    }

    static func preconditionFailed(_ condition: String) -> S3Error {
        S3Error(
            "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
            details: [("Condition", condition)])
    }

    static func notModified(etag: String, lastModified: String) -> S3Error {
        S3Error("NotModified", "Not Modified", headers: [.eTag: "\"\(etag)\"", .lastModified: lastModified])
    }

    static func methodNotAllowed(_ method: String, resource: String) -> S3Error {
        S3Error(
            "MethodNotAllowed", "The specified method is not allowed against this resource.",
            details: [("Method", method), ("ResourceType", resource)])
    }

    static func notImplemented(_ what: String) -> S3Error {
        S3Error(
            "NotImplemented", "A header or query you provided implies functionality that is not implemented.",
            details: [("Header", what)])
    }

    static func badDigest(_ algorithm: String) -> S3Error {
        S3Error("BadDigest", "The \(algorithm) you specified did not match the calculated checksum.")
    }

    static let invalidDigest = S3Error("InvalidDigest", "The Content-MD5 you specified is not valid.")

    static let contentSHA256Mismatch = S3Error(
        "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")

    static func incompleteBody(_ message: String = "You did not provide the number of bytes specified by the Content-Length HTTP header.") -> S3Error {
        S3Error("IncompleteBody", message)
    }

    static func malformedAWSChunked(_ failure: AWSChunkedDecoder.Failure) -> S3Error {
        incompleteBody("The aws-chunked body is malformed: \(failure.reason)")
    }

    static let entityTooLarge = S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")

    static let entityTooSmall = S3Error(
        "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")

    static let invalidPartOrder = S3Error(
        "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.")

    static func invalidPart(_ partNumber: Int, etag: String) -> S3Error {
        S3Error(
            "InvalidPart",
            "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
            details: [("PartNumber", String(partNumber)), ("ETag", etag)])
    }

    static let metadataTooLarge = S3Error(
        "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size")

    static let signatureDoesNotMatch = S3Error(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.")

    static func internalError(_ underlying: any Error) -> S3Error {
        S3Error("InternalError", "We encountered an internal error. Please try again.", underlying: underlying)
    }
}
