import Hummingbird

extension S3Error {
    /// AWS's HTTP status for each code: the single place the S3 dialect maps codes to statuses.
    var status: HTTPResponse.Status {
        switch code {
        case "NotModified": .notModified
        case "NoSuchBucket", "NoSuchKey", "NoSuchUpload", "NoSuchLifecycleConfiguration", "NoSuchVersion",
            "NoSuchCORSConfiguration", "NoSuchTagSet":
            .notFound
        case _ where S3Service.unconfiguredCodes.contains(code): .notFound
        case "BucketAlreadyOwnedByYou", "BucketAlreadyExists", "BucketNotEmpty", "OperationAborted":
            .conflict
        case "AccessDenied", "AccessForbidden", "SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed":
            .forbidden
        case "PreconditionFailed": .preconditionFailed
        case "InvalidRange", "InvalidPartNumber": .rangeNotSatisfiable
        case "MethodNotAllowed": .methodNotAllowed
        case "MissingContentLength": .lengthRequired
        case "NotImplemented": .notImplemented
        case "InternalError": .internalServerError
        case "SlowDown", "ServiceUnavailable": .serviceUnavailable
        default: .badRequest
        }
    }
}
