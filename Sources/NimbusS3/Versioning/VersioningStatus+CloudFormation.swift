import NimbusCore

extension VersioningStatus {
    /// `VersioningConfiguration` of `AWS::S3::Bucket`: `{Status: Enabled | Suspended}`.
    init(cloudFormation configuration: JSONValue) throws(S3Error) {
        guard let text = configuration["Status"]?.cloudFormationText, let status = VersioningStatus(rawValue: text) else {
            throw S3Error.invalidRequest("VersioningConfiguration needs a Status of Enabled or Suspended")
        }
        self = status
    }
}
