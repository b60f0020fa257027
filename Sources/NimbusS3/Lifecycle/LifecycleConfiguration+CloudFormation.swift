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
        xml.optional("ID", rule["Id"]?.cloudFormationText)
        xml.block("Filter") { xml in
            let tags = rule["TagFilters"]?.arrayValue ?? []
            let greater = rule["ObjectSizeGreaterThan"]?.cloudFormationText
            let less = rule["ObjectSizeLessThan"]?.cloudFormationText
            let prefix = rule["Prefix"]?.cloudFormationText
            let conditionCount = tags.count + [greater, less, prefix].compactMap { $0 }.count
            let writeConditions: (inout XMLWriter) -> Void = { xml in
                if conditionCount > 1 || prefix != nil || conditionCount == 0 { xml.element("Prefix", prefix ?? "") }
                for tag in tags {
                    xml.block("Tag") { xml in
                        xml.element("Key", tag["Key"]?.cloudFormationText ?? "")
                        xml.element("Value", tag["Value"]?.cloudFormationText ?? "")
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
        xml.element("Status", rule["Status"]?.cloudFormationText ?? "Enabled")
        let days = rule["ExpirationInDays"]?.cloudFormationText
        let date = rule["ExpirationDate"]?.cloudFormationText
        let deleteMarker = rule["ExpiredObjectDeleteMarker"]?.cloudFormationText
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
                xml.optional("Days", transition["TransitionInDays"]?.cloudFormationText)
                xml.optional("Date", transition["TransitionDate"]?.cloudFormationText)
                xml.optional("StorageClass", transition["StorageClass"]?.cloudFormationText)
            }
        }
        let noncurrentDays =
            rule["NoncurrentVersionExpirationInDays"]?.cloudFormationText
            ?? rule["NoncurrentVersionExpiration"]?["NoncurrentDays"]?.cloudFormationText
        if let noncurrentDays {
            xml.block("NoncurrentVersionExpiration") { xml in
                xml.element("NoncurrentDays", noncurrentDays)
                xml.optional(
                    "NewerNoncurrentVersions",
                    rule["NoncurrentVersionExpiration"]?["NewerNoncurrentVersions"]?.cloudFormationText)
            }
        }
        if let abortDays = rule["AbortIncompleteMultipartUpload"]?["DaysAfterInitiation"]?.cloudFormationText {
            xml.block("AbortIncompleteMultipartUpload") { xml in xml.element("DaysAfterInitiation", abortDays) }
        }
    }
}
