/// DynamoDB's limits on an item's shape: attribute names (map keys included) of 1 to 65,535 bytes,
/// and documents nested at most 32 levels, the attribute itself being level 1.
///
/// Sources, for want of a statement in the API reference: ScyllaDB's Alternator tests, run against
/// DynamoDB, find 65,535 the longest name accepted; ExtendDB (issue #365) and the
/// paritysuite/dynamodb-conformance suite (tier3 limits/nestingDepth, validation-ordering/deepRequests)
/// record the messages below from live DynamoDB. Regions differ in the envelope of these messages;
/// these are the forms those captures show most.
enum ItemShape {
    static let maximumNameBytes = 65_535
    static let maximumNesting = 32

    static let emptyName = DynamoError.validation("Empty attribute name")
    static let nameTooLong = DynamoError.validation(
        "1 validation error detected: Attribute name is too large, must be less than \(maximumNameBytes + 1) bytes")
    static let nameErrors = [emptyName, nameTooLong]
    static let tooDeep = DynamoError.validation(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")

    static func checkName(_ name: String) throws(DynamoError) {
        let bytes = name.utf8.count
        if bytes == 0 { throw emptyName }
        if bytes > maximumNameBytes { throw nameTooLong }
    }

    /// Checks an item built here rather than decoded from a request (an update's result, a PartiQL
    /// INSERT): decoding checks request items as it goes.
    static func check(_ item: Item) throws(DynamoError) {
        for (name, value) in item {
            try checkName(name)
            try check(value, level: 1)
        }
    }

    private static func check(_ value: AttributeValue, level: Int) throws(DynamoError) {
        if level > maximumNesting { throw tooDeep }
        switch value {
        case .m(let members):
            for (name, member) in members {
                try checkName(name)
                try check(member, level: level + 1)
            }
        case .l(let elements):
            for element in elements { try check(element, level: level + 1) }
        default:
            break
        }
    }
}
