import NimbusCore

extension LifecycleConfiguration {
    /// Converts `AWS::S3::Bucket` `LifecycleConfiguration` (CloudFormation's shape:
    /// `Rules[].ExpirationInDays`, `Status`, `Prefix`, `TagFilters` …) to the S3 API document
    /// (`Rule/Expiration/Days` …), so the template-provisioned rules read back exactly like ones
    /// put with the API.
    init(cloudFormation properties: JSONValue) throws(S3Error) {
        guard let rules = properties["Rules"]?.arrayValue, !rules.isEmpty else {
            throw S3Error.invalidRequest("LifecycleConfiguration requires at least one rule")
        }
        var xml = XMLWriter()
        xml.openRoot("LifecycleConfiguration")
        for rule in rules {
            xml.block("Rule") { xml in Self.writeRule(rule, to: &xml) }
        }
        xml.close("LifecycleConfiguration")
        try self.init(xml: Array(xml.text.utf8))
    }

    private static func writeRule(_ rule: JSONValue, to xml: inout XMLWriter) {
        xml.optional("ID", rule["Id"].flatMap(CloudFormationText.of))
        xml.block("Filter") { xml in
            let tags = rule["TagFilters"]?.arrayValue ?? []
            let greater = rule["ObjectSizeGreaterThan"].flatMap(CloudFormationText.of)
            let less = rule["ObjectSizeLessThan"].flatMap(CloudFormationText.of)
            let prefix = rule["Prefix"].flatMap(CloudFormationText.of)
            let conditionCount = tags.count + [greater, less, prefix].compactMap { $0 }.count
            let writeConditions: (inout XMLWriter) -> Void = { xml in
                if conditionCount > 1 || prefix != nil || conditionCount == 0 { xml.element("Prefix", prefix ?? "") }
                for tag in tags {
                    xml.block("Tag") { xml in
                        xml.element("Key", tag["Key"].flatMap(CloudFormationText.of) ?? "")
                        xml.element("Value", tag["Value"].flatMap(CloudFormationText.of) ?? "")
                    }
                }
                xml.optional("ObjectSizeGreaterThan", greater)
                xml.optional("ObjectSizeLessThan", less)
            }
            if conditionCount > 1 {
                xml.block("And", writeConditions)
            } else {
                writeConditions(&xml)
            }
        }
        xml.element("Status", rule["Status"].flatMap(CloudFormationText.of) ?? "Enabled")
        let days = rule["ExpirationInDays"].flatMap(CloudFormationText.of)
        let date = rule["ExpirationDate"].flatMap(CloudFormationText.of)
        let deleteMarker = rule["ExpiredObjectDeleteMarker"].flatMap(CloudFormationText.of)
        if days != nil || date != nil || deleteMarker != nil {
            xml.block("Expiration") { xml in
                xml.optional("Days", days)
                xml.optional("Date", date)
                xml.optional("ExpiredObjectDeleteMarker", deleteMarker)
            }
        }
        var transitions = rule["Transitions"]?.arrayValue ?? []
        if let transition = rule["Transition"] { transitions.append(transition) }
        for transition in transitions {
            xml.block("Transition") { xml in
                xml.optional("Days", transition["TransitionInDays"].flatMap(CloudFormationText.of))
                xml.optional("Date", transition["TransitionDate"].flatMap(CloudFormationText.of))
                xml.optional("StorageClass", transition["StorageClass"].flatMap(CloudFormationText.of))
            }
        }
        let noncurrentDays =
            rule["NoncurrentVersionExpirationInDays"].flatMap(CloudFormationText.of)
            ?? rule["NoncurrentVersionExpiration"]?["NoncurrentDays"].flatMap(CloudFormationText.of)
        if let noncurrentDays {
            xml.block("NoncurrentVersionExpiration") { xml in xml.element("NoncurrentDays", noncurrentDays) }
        }
        if let abortDays = rule["AbortIncompleteMultipartUpload"]?["DaysAfterInitiation"].flatMap(CloudFormationText.of) {
            xml.block("AbortIncompleteMultipartUpload") { xml in xml.element("DaysAfterInitiation", abortDays) }
        }
    }
}
