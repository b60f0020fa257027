import NimbusCore

/// A finished DynamoDB HTTP response; the platform's AWS endpoint writes it out as is.
public struct DynamoResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Adds DynamoDB's headers: content type, request id and the body's CRC32 (botocore checks it).
    init(status: Int, body: [UInt8], requestID: String) {
        self.status = status
        self.body = body
        self.headers = [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("x-amzn-RequestId", requestID),
            ("x-amz-crc32", String(CRCTables.crc32.checksum(body))),
        ]
    }

}
