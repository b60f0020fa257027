import Foundation

/// What a table's stream records of each change (`StreamSpecification.StreamViewType`).
enum StreamViewType: String, Sendable, CaseIterable {
    case keysOnly = "KEYS_ONLY"
    case newImage = "NEW_IMAGE"
    case oldImage = "OLD_IMAGE"
    case newAndOldImages = "NEW_AND_OLD_IMAGES"

    var hasNewImage: Bool { self == .newImage || self == .newAndOldImages }
    var hasOldImage: Bool { self == .oldImage || self == .newAndOldImages }
}

/// One item change in a table's stream, as stored: images already in wire form.
struct StreamRecord: Sendable, Equatable {
    enum Event: String, Sendable {
        case insert = "INSERT"
        case modify = "MODIFY"
        case remove = "REMOVE"
    }

    /// 0 until stored.
    var sequence: Int64 = 0
    /// Epoch seconds.
    var created: Double
    var event: Event
    var viewType: StreamViewType
    var keys: [UInt8]
    var newImage: [UInt8]?
    var oldImage: [UInt8]?
    var size: Int
    /// Written by DynamoDB itself (a TTL deletion), which records carry as `userIdentity`.
    var byService: Bool

    /// The record of a change from `old` to `new` (nil: absent), or nil when nothing changed.
    init?(old: Item?, new: Item?, key: KeySchema, viewType: StreamViewType, created: Double, byService: Bool) {
        guard old != new, let subject = new ?? old else { return nil }
        self.created = created
        self.event = old == nil ? .insert : new == nil ? .remove : .modify
        self.viewType = viewType
        var keyItem: Item = [:]
        for attribute in key.attributes { keyItem[attribute.name] = subject[attribute.name] }
        self.keys = DynamoEngine.encode(keyItem)
        self.newImage = viewType.hasNewImage ? new.map(DynamoEngine.encode) : nil
        self.oldImage = viewType.hasOldImage ? old.map(DynamoEngine.encode) : nil
        // As DynamoDB counts it: the key and the images the record carries.
        self.size = AttributeValue.size(of: keyItem) + (newImage == nil ? 0 : AttributeValue.size(of: new!))
            + (oldImage == nil ? 0 : AttributeValue.size(of: old!))
        self.byService = byService
    }

    init(
        sequence: Int64, created: Double, event: Event, viewType: StreamViewType, keys: [UInt8], newImage: [UInt8]?,
        oldImage: [UInt8]?, size: Int, byService: Bool
    ) {
        self.sequence = sequence
        self.created = created
        self.event = event
        self.viewType = viewType
        self.keys = keys
        self.newImage = newImage
        self.oldImage = oldImage
        self.size = size
        self.byService = byService
    }

    /// Sequence numbers as DynamoDB Streams writes them: decimal strings of a fixed width, so they
    /// also compare as strings.
    static func sequenceText(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 21 - digits.count)) + digits
    }

    /// The record as GetRecords returns it.
    func json(region: String) -> JSON {
        var dynamodb: [String: JSON] = [
            "ApproximateCreationDateTime": .number(String(Int64(created))),
            "Keys": .raw(keys),
            "SequenceNumber": .string(Self.sequenceText(sequence)),
            "SizeBytes": .number(String(size)),
            "StreamViewType": .string(viewType.rawValue),
        ]
        if let newImage { dynamodb["NewImage"] = .raw(newImage) }
        if let oldImage { dynamodb["OldImage"] = .raw(oldImage) }
        var record: [String: JSON] = [
            "eventID": .string(String(format: "%032llx", sequence)),
            "eventName": .string(event.rawValue),
            "eventVersion": .string("1.1"),
            "eventSource": .string("aws:dynamodb"),
            "awsRegion": .string(region),
            "dynamodb": .object(dynamodb),
        ]
        if byService {
            record["userIdentity"] = .object([
                "type": .string("Service"), "principalId": .string("dynamodb.amazonaws.com"),
            ])
        }
        return .object(record)
    }
}
