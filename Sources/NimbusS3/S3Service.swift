import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import NimbusCore
import ServiceLifecycle

/// An S3-compatible service over an ``ObjectStore``: files under a data directory.
///
/// The AWS endpoint hands every request that is not DynamoDB, Lambda or Logs to
/// ``respond(to:context:)``. S3 failures never throw: they are answered in S3's XML dialect with
/// AWS's codes and statuses.
public struct S3Service: Sendable {
    let store: any ObjectStore
    let configuration: S3Configuration
    let logger: Logger
    let clock: WallClock
    let signatureVerifier: (any S3SignatureVerifier)?
    let requestIDs = RequestIDGenerator()

    /// Opens (creating if needed) the store under `directory`, finishing anything a crash left
    /// half done.
    ///
    /// - Parameters:
    ///   - clock: time source for `Last-Modified`, presigned-URL expiry and lifecycle expiry.
    ///   - presignVerifier: checks the signatures of presigned URLs and of streaming uploads'
    ///     chunks; `nil` checks only presigned URLs' expiry.
    public init(
        directory: String,
        logger: Logger,
        clock: some Clock<Duration> = ContinuousClock(),
        presignVerifier: (any S3SignatureVerifier)? = nil,
        configuration: S3Configuration = S3Configuration()
    ) throws {
        self.store = try DiskObjectStore(directory: directory, durable: configuration.durableWrites, logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.clock = WallClock(clock)
        self.signatureVerifier = presignVerifier
    }

    public func respond(to request: Request, context: some RequestContext) async throws -> Response {
        let requestID = requestIDs.next()
        var isHead = request.method == .head
        var response: Response
        var parsed: S3Request?
        do {
            let s3Request = try S3Request(
                request, virtualHostSuffixes: configuration.virtualHostSuffixes, requestID: requestID)
            parsed = s3Request
            isHead = s3Request.isHead
            if s3Request.method == .options {
                response = try preflight(s3Request)
            } else {
                try checkPresignedURL(s3Request)
                response = try await dispatch(s3Request)
            }
        } catch let error as S3Error {
            response = render(error, requestID: requestID, isHead: isHead)
        } catch let error as HTTPParserError {
            // The body's framing broke (a bad chunk size): the client's fault, not ours.
            response = render(.badRequest(underlying: error), requestID: requestID, isHead: isHead)
        } catch {
            logger.error(
                "s3 request failed",
                metadata: ["s3.request.id": .string(requestID), "error": "\(error)", "http.path": "\(request.uri.path)"])
            response = render(S3Error.internalError(error), requestID: requestID, isHead: isHead)
        }
        if let parsed, parsed.method != .options, let cors = corsHeaders(for: parsed) {
            response.headers.append(contentsOf: cors)
        }
        response.headers[HTTPField.Name("x-amz-request-id")!] = requestID
        response.headers[HTTPField.Name("x-amz-id-2")!] = requestID
        response.headers[.server] = "AmazonS3"
        return response
    }

    /// Creates the template's bucket if missing and applies its `LifecycleConfiguration` and
    /// `CorsConfiguration` (CloudFormation shape, stored as the S3 API documents) and `Tags`, each
    /// removed when the template has none, and each written only when it differs from what is stored.
    public func provision(_ bucket: BucketDefinition) throws {
        let existing = try store.bucketCreatingIfMissing(
            bucket.bucketName, region: configuration.region, now: clock.nowSeconds)
        let lifecycle = try bucket.properties["LifecycleConfiguration"].map {
            try LifecycleConfiguration(cloudFormation: $0)
        }
        if existing.lifecycle != lifecycle {
            try existing.setLifecycle(lifecycle)
        }
        let cors = try bucket.properties["CorsConfiguration"].map { try CORSConfiguration(cloudFormation: $0) }
        if existing.cors != cors {
            try existing.setCORS(cors)
        }
        let tags = try bucket.properties["Tags"].map { try TagSet(cloudFormation: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        if existing.configuration.tags != tags {
            try existing.updateConfiguration { $0.tags = tags }
        }
        // Removing the property leaves the bucket as it is: versioning never goes back to unset.
        let versioning = try bucket.properties["VersioningConfiguration"].map { try VersioningStatus(cloudFormation: $0) }
        if let versioning, existing.versioning != versioning {
            try existing.setVersioning(versioning)
        }
        logger.debug(
            "s3 bucket provisioned",
            metadata: [
                "s3.bucket": .string(bucket.bucketName), "s3.lifecycle.rules": "\(lifecycle?.rules.count ?? 0)",
                "s3.cors.rules": "\(cors?.rules.count ?? 0)",
                "s3.tags": "\(tags?.count ?? 0)", "s3.versioning": "\(versioning?.rawValue ?? "-")",
            ])
    }

    /// Expires objects (and aborts stale multipart uploads) by the buckets' lifecycle rules,
    /// every `interval` of the injected clock.
    public func lifecycleService(interval: Duration) -> some Service {
        LifecycleExpirationService(service: self, interval: interval)
    }
}
