/// A bucket's lifecycle configuration: the document exactly as the client wrote it (returned by
/// GetBucketLifecycleConfiguration) and the rules parsed from it (acted on by expiry).
struct LifecycleConfiguration: BucketDocument {
    /// The `<LifecycleConfiguration>` element, without an XML declaration.
    let xml: String
    let rules: [LifecycleRule]

    /// Parses and validates a PutBucketLifecycleConfiguration body, with S3's errors.
    init(xml body: [UInt8]) throws(S3Error) {
        let root = try XMLReader.document(body, root: "LifecycleConfiguration")
        let ruleElements = root.children("Rule")
        guard !ruleElements.isEmpty, ruleElements.count <= 1000 else { throw S3Error.malformedXML }
        var rules: [LifecycleRule] = []
        var ids: Set<String> = []
        for element in ruleElements {
            let rule = try Self.rule(element)
            if let id = rule.id {
                guard ids.insert(id).inserted else {
                    throw S3Error.invalidArgument("Rule ID must be unique. Found same ID for more than one rule")
                }
            }
            rules.append(rule)
        }
        self.rules = rules
        self.xml = XMLReader.documentWithoutDeclaration(body)
    }

    private static func rule(_ element: XMLTree) throws(S3Error) -> LifecycleRule {
        guard let status = element.value("Status"), status == "Enabled" || status == "Disabled" else {
            throw S3Error.malformedXML
        }
        var rule = LifecycleRule(id: element.value("ID"), isEnabled: status == "Enabled")
        if let id = rule.id, id.count > 255 {
            throw S3Error.invalidArgument("ID length should not exceed allowed limit of 255")
        }
        let filter = element.child("Filter")
        if filter != nil && element.child("Prefix") != nil { throw S3Error.malformedXML }
        if let prefix = element.value("Prefix") { rule.prefix = prefix }
        if let filter {
            let conditions = filter.child("And") ?? filter
            rule.prefix = conditions.value("Prefix") ?? ""
            for tag in conditions.children("Tag") {
                guard let key = tag.value("Key") else { throw S3Error.malformedXML }
                rule.tags[key] = tag.value("Value") ?? ""
            }
            rule.objectSizeGreaterThan = try conditions.value("ObjectSizeGreaterThan").map(Self.size)
            rule.objectSizeLessThan = try conditions.value("ObjectSizeLessThan").map(Self.size)
        }
        var hasAction = false
        if let expiration = element.child("Expiration") {
            hasAction = true
            if let days = expiration.value("Days") {
                guard let value = Int(days), value > 0 else {
                    throw S3Error.invalidArgument("'Days' for Expiration action must be a positive integer")
                }
                rule.expirationDays = value
            }
            if let date = expiration.value("Date") {
                guard let seconds = HTTPDate.parseISO8601(date) else {
                    throw S3Error.invalidArgument("Invalid date: \(date)")
                }
                guard seconds % LifecycleRule.day == 0 else {
                    throw S3Error.invalidArgument("'Date' must be at midnight GMT")
                }
                rule.expirationDate = seconds
            }
            if let marker = expiration.value("ExpiredObjectDeleteMarker") {
                guard marker == "true" || marker == "false" else { throw S3Error.malformedXML }
                rule.expiredObjectDeleteMarker = marker == "true"
            }
            let kinds = [rule.expirationDays != nil, rule.expirationDate != nil, expiration.child("ExpiredObjectDeleteMarker") != nil]
            guard kinds.filter({ $0 }).count == 1 else { throw S3Error.malformedXML }
        }
        if let noncurrent = element.child("NoncurrentVersionExpiration") {
            guard let days = noncurrent.value("NoncurrentDays").flatMap(Int.init), days > 0 else {
                throw S3Error.invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer")
            }
            rule.noncurrentDays = days
            if let newer = noncurrent.value("NewerNoncurrentVersions") {
                guard let count = Int(newer), (1...100).contains(count) else {
                    throw S3Error.invalidArgument("NewerNoncurrentVersions must be an integer between 1 and 100")
                }
                rule.newerNoncurrentVersions = count
            }
        }
        if let abort = element.child("AbortIncompleteMultipartUpload") {
            hasAction = true
            guard let days = abort.value("DaysAfterInitiation").flatMap(Int.init), days > 0 else {
                throw S3Error.invalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
            }
            rule.abortIncompleteUploadDays = days
        }
        for action in ["Transition", "NoncurrentVersionExpiration", "NoncurrentVersionTransition"]
        where element.child(action) != nil {
            hasAction = true
        }
        guard hasAction else { throw S3Error.invalidRequest("At least one action needs to be specified in a rule") }
        return rule
    }

    private static func size(_ text: String) throws(S3Error) -> Int64 {
        guard let value = Int64(text), value >= 0 else {
            throw S3Error.invalidArgument("Object size filter must be a non-negative integer")
        }
        return value
    }
}
