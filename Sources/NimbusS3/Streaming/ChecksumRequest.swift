import HTTPTypes
import Hummingbird

/// Which `x-amz-checksum-*` the client asked for, and the value it claims (from a header now, or
/// a trailer at the end of an `aws-chunked` body).
struct ChecksumRequest {
    var algorithm: ChecksumAlgorithm?
    var value: String?

    init(_ headers: HTTPFields) throws {
        var found: [(ChecksumAlgorithm, String)] = []
        for field in headers {
            if let algorithm = ChecksumAlgorithm(headerName: field.name.canonicalName) {
                found.append((algorithm, field.value))
            }
        }
        guard found.count <= 1 else {
            throw S3Error.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
        }
        if let (algorithm, value) = found.first {
            self.algorithm = algorithm
            self.value = value
            return
        }
        if let trailer = headers[HTTPField.Name("x-amz-trailer")!] {
            guard let algorithm = ChecksumAlgorithm(headerName: trailer.trimmingXMLWhitespace()) else {
                throw S3Error.invalidRequest("The value specified in the x-amz-trailer header is not supported")
            }
            self.algorithm = algorithm
            return
        }
        let named = headers[HTTPField.Name("x-amz-sdk-checksum-algorithm")!]
            ?? headers[HTTPField.Name("x-amz-checksum-algorithm")!]
        if let named {
            guard let algorithm = ChecksumAlgorithm(name: named) else {
                throw S3Error.invalidRequest("Checksum algorithm provided is unsupported.")
            }
            self.algorithm = algorithm
        }
    }
}
