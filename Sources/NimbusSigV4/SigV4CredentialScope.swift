/// `20130524/us-east-1/s3/aws4_request`: what a signing key is derived for.
public struct SigV4CredentialScope: Sendable, Hashable, CustomStringConvertible {
    /// `yyyyMMdd`, UTC.
    public var date: String
    public var region: String
    public var service: String

    public init(date: String, region: String, service: String) {
        self.date = date
        self.region = region
        self.service = service
    }

    public var description: String { "\(date)/\(region)/\(service)/\(SigV4.terminator)" }

    /// Why a `Credential` value is malformed, worded as S3 words it; callers add their prefix.
    struct ParseError: Error {
        var reason: String
    }

    /// Splits `AKID/yyyyMMdd/region/service/aws4_request`.
    static func parseCredential(_ credential: String) throws(ParseError) -> (accessKeyID: String, scope: Self) {
        let parts = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard parts.count == 5, !parts[0].isEmpty, !parts[2].isEmpty, !parts[3].isEmpty else {
            throw ParseError(
                reason: #"the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request"."#)
        }
        guard parts[1].utf8.count == 8, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ParseError(
                reason:
                    #"incorrect date format "\#(parts[1])". This date in the credential must be in the format "yyyyMMdd"."#
            )
        }
        guard parts[4] == SigV4.terminator else {
            throw ParseError(reason: #"incorrect terminal "\#(parts[4])". This endpoint uses "aws4_request"."#)
        }
        return (parts[0], SigV4CredentialScope(date: parts[1], region: parts[2], service: parts[3]))
    }
}
