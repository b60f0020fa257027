import Hummingbird

extension S3Service {
    /// An XML document response.
    func xmlResponse(_ xml: XMLWriter, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/xml"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: xml.buffer))
    }

    /// An empty-bodied response with an explicit `Content-Length: 0`.
    func emptyResponse(_ status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if status != .noContent && status != .notModified { headers[.contentLength] = "0" }
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    /// S3's error document (`<Error><Code>…`), or for HEAD and 304 only the status and headers,
    /// as S3 sends them without a body.
    func render(_ error: S3Error, requestID: String, isHead: Bool) -> Response {
        let status = error.status
        if status == .internalServerError {
            logger.error("s3 internal error", metadata: ["s3.request.id": .string(requestID), "error": "\(error)"])
        } else {
            logger.debug(
                "s3 error", metadata: ["s3.request.id": .string(requestID), "s3.error.code": .string(error.code)])
        }
        if isHead || status == .notModified {
            var headers = error.headers
            if status != .notModified { headers[.contentLength] = "0" }
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        var headers = error.headers
        headers[.contentType] = "application/xml"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: Self.document(error, requestID: requestID).buffer))
    }

    static func document(_ error: S3Error, requestID: String) -> XMLWriter {
        var xml = XMLWriter()
        xml.open("Error")
        xml.element("Code", error.code)
        xml.element("Message", error.message)
        for detail in error.details { xml.element(detail.name, detail.value) }
        xml.element("RequestId", requestID)
        xml.element("HostId", requestID)
        xml.close("Error")
        return xml
    }

    /// S3's answer to a request the HTTP parser refused before it became a request (a bad request
    /// line, header or Content-Length): the endpoint's pipeline sends it, as `respond` never runs.
    public func unparsableRequestAnswer() -> (status: Int, requestID: String, body: [UInt8]) {
        let requestID = requestIDs.next()
        logger.debug("s3 error", metadata: ["s3.request.id": .string(requestID), "s3.error.code": "BadRequest"])
        return (400, requestID, Array(Self.document(.badRequest(), requestID: requestID).text.utf8))
    }

    /// Reads a small XML request body (configuration documents, delete lists).
    func collectBody(_ request: S3Request, limit: Int = 2 * 1024 * 1024) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        var decoder: AWSChunkedDecoder? =
            BodyReceiver.isAWSChunked(request.headers)
            ? AWSChunkedDecoder(signatures: try chunkVerifier(for: request)) : nil
        do {
            for try await buffer in request.body {
                if decoder != nil {
                    try buffer.withUnsafeReadableBytes { raw in
                        try decoder!.decode(raw) { bytes.append(contentsOf: raw[$0]) }
                    }
                } else {
                    bytes.append(contentsOf: buffer.readableBytesView)
                }
                guard bytes.count <= limit else { throw S3Error.malformedXML }
            }
            try decoder?.finish()
        } catch let failure as AWSChunkedDecoder.Failure {
            throw S3Error.malformedAWSChunked(failure)
        }
        return bytes
    }

    /// Parses a request body as XML, MalformedXML when it is not.
    func parseXMLBody(_ request: S3Request) async throws -> XMLTree {
        let bytes = try await collectBody(request)
        if let md5 = request.header("Content-MD5") {
            try BodyReceiver.verifyContentMD5(md5, of: bytes)
        }
        do {
            return try XMLReader.parse(bytes)
        } catch {
            throw S3Error.malformedXML
        }
    }

    var now: Int64 { clock.nowSeconds }

    /// Runs storage work that may fsync on the blocking pool; inline when writes are not
    /// durable (everything then is page-cache fast, and a thread hop would cost more).
    func storageWork<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        if configuration.durableWrites {
            return try await BlockingIO.run(work)
        }
        return try work()
    }

    func ownerXML(_ xml: inout XMLWriter, element: String = "Owner") {
        xml.block(element) { xml in
            xml.element("ID", configuration.ownerID)
            xml.element("DisplayName", configuration.ownerDisplayName)
        }
    }
}
