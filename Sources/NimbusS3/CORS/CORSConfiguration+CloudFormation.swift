import NimbusCore

extension CORSConfiguration {
    /// Converts `AWS::S3::Bucket` `CorsConfiguration` (CloudFormation's shape: `CorsRules[]` with
    /// `AllowedOrigins`, `AllowedMethods`, `AllowedHeaders`, `ExposedHeaders`, `Id`, `MaxAge`) to
    /// the S3 API document, so template rules read back exactly like ones put with the API.
    init(cloudFormation properties: JSONValue) throws(S3Error) {
        guard let rules = properties["CorsRules"]?.arrayValue, !rules.isEmpty else {
            throw S3Error.invalidRequest("CorsConfiguration requires at least one rule in CorsRules")
        }
        var xml = XMLWriter()
        xml.openRoot("CORSConfiguration")
        for rule in rules {
            xml.block("CORSRule") { xml in
                xml.optional("ID", rule["Id"]?.cloudFormationText)
                let lists = [
                    ("AllowedHeaders", "AllowedHeader"), ("AllowedMethods", "AllowedMethod"),
                    ("AllowedOrigins", "AllowedOrigin"), ("ExposedHeaders", "ExposeHeader"),
                ]
                for (property, element) in lists {
                    for value in rule[property]?.arrayValue ?? [] {
                        xml.optional(element, value.cloudFormationText)
                    }
                }
                xml.optional("MaxAgeSeconds", rule["MaxAge"]?.cloudFormationText)
            }
        }
        xml.close("CORSConfiguration")
        try self.init(xml: Array(xml.text.utf8))
    }
}
