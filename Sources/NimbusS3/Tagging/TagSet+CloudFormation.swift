import NimbusCore

extension TagSet {
    /// `Tags` of `AWS::S3::Bucket`: `[{Key: …, Value: …}]`, validated like PutBucketTagging.
    /// (CloudFormation's own `aws:cloudformation:*` tags are not added: nothing here is a stack.)
    init(cloudFormation tags: JSONValue) throws(S3Error) {
        guard let list = tags.arrayValue else {
            throw S3Error.invalidRequest("Tags must be a list of {Key, Value}")
        }
        var pairs: [(key: String, value: String)] = []
        for tag in list {
            guard let key = tag["Key"]?.cloudFormationText,
                let value = tag["Value"]?.cloudFormationText
            else { throw S3Error.invalidRequest("Each tag in Tags needs a Key and a Value") }
            pairs.append((key, value))
        }
        try self.init(validating: pairs, for: .bucket)
    }
}
