/// Where the bytes of a finished ``ObjectWriter`` go.
enum WriteTarget: Sendable {
    /// The current version of `key`, if `condition` (checked at that moment) holds.
    case object(ObjectKey, condition: WriteCondition?)
    /// Part `number` of multipart upload `uploadID`, replacing an earlier upload of that number.
    case part(uploadID: String, number: Int)
}
