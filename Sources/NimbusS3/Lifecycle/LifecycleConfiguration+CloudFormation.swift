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
        xml.optional("ID", rule["Id"].flatMap(text))
        xml.block("Filter") { xml in
            let tags = rule["TagFilters"]?.arrayValue ?? []
            let greater = rule["ObjectSizeGreaterThan"].flatMap(text)
            let less = rule["ObjectSizeLessThan"].flatMap(text)
            let prefix = rule["Prefix"].flatMap(text)
            let conditionCount = tags.count + [greater, less, prefix].compactMap { $0 }.count
            let writeConditions: (inout XMLWriter) -> Void = { xml in
                if conditionCount > 1 || prefix != nil || conditionCount == 0 { xml.element("Prefix", prefix ?? "") }
                for tag in tags {
                    xml.block("Tag") { xml in
                        xml.element("Key", tag["Key"].flatMap(text) ?? "")
                        xml.element("Value", tag["Value"].flatMap(text) ?? "")
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
        xml.element("Status", rule["Status"].flatMap(text) ?? "Enabled")
        let days = rule["ExpirationInDays"].flatMap(text)
        let date = rule["ExpirationDate"].flatMap(text)
        let deleteMarker = rule["ExpiredObjectDeleteMarker"].flatMap(text)
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
                xml.optional("Days", transition["TransitionInDays"].flatMap(text))
                xml.optional("Date", transition["TransitionDate"].flatMap(text))
                xml.optional("StorageClass", transition["StorageClass"].flatMap(text))
            }
        }
        let noncurrentDays =
            rule["NoncurrentVersionExpirationInDays"].flatMap(text)
            ?? rule["NoncurrentVersionExpiration"]?["NoncurrentDays"].flatMap(text)
        if let noncurrentDays {
            xml.block("NoncurrentVersionExpiration") { xml in xml.element("NoncurrentDays", noncurrentDays) }
        }
        if let abortDays = rule["AbortIncompleteMultipartUpload"]?["DaysAfterInitiation"].flatMap(text) {
            xml.block("AbortIncompleteMultipartUpload") { xml in xml.element("DaysAfterInitiation", abortDays) }
        }
    }

    private static func text(_ value: JSONValue) -> String? { value.cloudFormationText }
}
