extension AttributeValue {
    /// Decodes a request's `{"S": "x"}`-style value with DynamoDB's validation and messages.
    /// `level` is the value's nesting level: 1 for an attribute, 2 for a member of it, …
    init(json: JSON, level: Int = 1) throws(DynamoError) {
        guard case .object(let fields) = json else {
            throw Self.conversionError(json, expected: "AttributeValue")
        }
        guard level <= ItemShape.maximumNesting else { throw ItemShape.tooDeep }
        var found: AttributeValue?
        var count = 0
        for (key, raw) in fields {
            if case .null = raw { continue }
            let value: AttributeValue
            switch key {
            case "S": value = .s(try Self.string(raw))
            case "N": value = .n(try Self.number(try Self.string(raw)))
            case "B": value = .b(try Self.binary(raw))
            case "BOOL":
                guard case .bool(let b) = raw else { throw Self.conversionError(raw, expected: "Boolean") }
                value = .bool(b)
            case "NULL":
                guard case .bool(let b) = raw else { throw Self.conversionError(raw, expected: "Boolean") }
                guard b else {
                    throw .validation("One or more parameter values were invalid: Null attribute value types must have the value of true")
                }
                value = .null
            case "M":
                guard case .object(let members) = raw else { throw Self.conversionError(raw, expected: "Map") }
                var map: [String: AttributeValue] = [:]
                map.reserveCapacity(members.count)
                for (name, member) in members {
                    try ItemShape.checkName(name)
                    map[name] = try AttributeValue(json: member, level: level + 1)
                }
                value = .m(map)
            case "L":
                guard case .array(let elements) = raw else { throw Self.conversionError(raw, expected: "List") }
                var list: [AttributeValue] = []
                list.reserveCapacity(elements.count)
                for element in elements { list.append(try AttributeValue(json: element, level: level + 1)) }
                value = .l(list)
            case "SS":
                let strings = try Self.stringList(raw)
                guard !strings.isEmpty else {
                    throw .validation("One or more parameter values were invalid: An string set  may not be empty")
                }
                var seen = Set<[UInt8]>()
                for s in strings where !seen.insert(Array(s.utf8)).inserted {
                    throw .validation("One or more parameter values were invalid: Input collection [\(strings.joined(separator: ", "))] contains duplicates.")
                }
                value = .ss(strings)
            case "NS":
                let texts = try Self.stringList(raw)
                guard !texts.isEmpty else {
                    throw .validation("One or more parameter values were invalid: An number set  may not be empty")
                }
                var numbers: [DynamoNumber] = []
                var seen = Set<DynamoNumber>()
                for text in texts {
                    let n = try Self.number(text)
                    guard seen.insert(n).inserted else { throw .validation("Input collection contains duplicates") }
                    numbers.append(n)
                }
                value = .ns(numbers)
            case "BS":
                guard case .array(let elements) = raw else { throw Self.conversionError(raw, expected: "List") }
                guard !elements.isEmpty else {
                    throw .validation("One or more parameter values were invalid: Binary sets should not be empty")
                }
                var binaries: [[UInt8]] = []
                var seen = Set<[UInt8]>()
                for element in elements {
                    let b = try Self.binary(element)
                    guard seen.insert(b).inserted else {
                        throw .validation("One or more parameter values were invalid: Input collection contains duplicates.")
                    }
                    binaries.append(b)
                }
                value = .bs(binaries)
            default:
                continue  // Unknown members are ignored by DynamoDB's deserializer.
            }
            found = value
            count += 1
        }
        guard count > 0, let value = found else {
            throw .validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
        }
        guard count == 1 else {
            throw .validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
        }
        self = value
    }

    /// Decodes an attribute map (an item, a key). Its names are checked before its values: DynamoDB
    /// reports an empty name ahead of a value nested too deep, whatever their order.
    static func item(json: JSON) throws(DynamoError) -> Item {
        guard case .object(let fields) = json else { throw conversionError(json, expected: "Map") }
        for name in fields.keys { try ItemShape.checkName(name) }
        var item: Item = [:]
        item.reserveCapacity(fields.count)
        for (name, value) in fields {
            item[name] = try AttributeValue(json: value)
        }
        return item
    }

    private static func string(_ raw: JSON) throws(DynamoError) -> String {
        guard case .string(let s) = raw else { throw conversionError(raw, expected: "String") }
        return s
    }

    private static func stringList(_ raw: JSON) throws(DynamoError) -> [String] {
        guard case .array(let elements) = raw else { throw conversionError(raw, expected: "List") }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            if case .null = element {
                throw .validation("One or more parameter values were invalid: An AttributeValue may not contain a null or empty set element")
            }
            out.append(try string(element))
        }
        return out
    }

    private static func number(_ text: String) throws(DynamoError) -> DynamoNumber {
        guard !text.isEmpty else { throw .validation("The parameter cannot be converted to a numeric value") }
        do {
            return try DynamoNumber(parsing: text)
        } catch {
            throw .validation(error.message)
        }
    }

    private static func binary(_ raw: JSON) throws(DynamoError) -> [UInt8] {
        let text = try string(raw)
        switch Base64.decode(text) {
        case .success(let bytes): return bytes
        case .failure(let failure): throw .serialization("'\(text)' can not be converted to a Blob: \(failure.message)")
        }
    }

    /// Jackson-style messages for a JSON token of the wrong kind.
    static func conversionError(_ raw: JSON, expected: String) -> DynamoError {
        switch raw {
        case .array: .serialization("Start of list found where not expected")
        case .object: .serialization("Start of structure or map found where not expected.")
        default: .serialization("\(raw.tokenName) cannot be converted to \(expected)")
        }
    }
}

extension AttributeValue {
    /// Decodes a value read back from storage: already validated, so no checks.
    init(stored json: JSON) {
        guard case .object(let fields) = json, let (key, raw) = fields.first else {
            self = .null
            return
        }
        switch (key, raw) {
        case ("S", .string(let s)): self = .s(s)
        case ("N", .string(let s)): self = .n((try? DynamoNumber.parseUnchecked(s)) ?? .zero)
        case ("B", .string(let s)): self = .b((try? Base64.decode(s).get()) ?? [])
        case ("BOOL", .bool(let b)): self = .bool(b)
        case ("M", .object(let members)): self = .m(members.mapValues { AttributeValue(stored: $0) })
        case ("L", .array(let elements)): self = .l(elements.map { AttributeValue(stored: $0) })
        case ("SS", .array(let elements)): self = .ss(elements.compactMap(\.stringValue))
        case ("NS", .array(let elements)):
            self = .ns(elements.compactMap { $0.stringValue.flatMap { try? DynamoNumber.parseUnchecked($0) } })
        case ("BS", .array(let elements)):
            self = .bs(elements.compactMap { $0.stringValue.flatMap { try? Base64.decode($0).get() } })
        default: self = .null
        }
    }

    static func item(stored json: JSON) -> Item {
        guard case .object(let fields) = json else { return [:] }
        return fields.mapValues { AttributeValue(stored: $0) }
    }
}

extension JSONWriter {
    mutating func write(attribute value: AttributeValue) {
        bytes.append(UInt8(ascii: "{"))
        switch value {
        case .s(let s):
            writeKey("S")
            writeString(s)
        case .n(let n):
            writeKey("N")
            writeString(n.text)
        case .b(let b):
            writeKey("B")
            writeString(Base64.encode(b))
        case .bool(let b):
            writeKey("BOOL")
            writeRaw(b ? "true" : "false")
        case .null:
            writeKey("NULL")
            writeRaw("true")
        case .m(let m):
            writeKey("M")
            write(item: m)
        case .l(let l):
            writeKey("L")
            bytes.append(UInt8(ascii: "["))
            for (i, element) in l.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(attribute: element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .ss(let ss):
            writeKey("SS")
            writeStrings(ss)
        case .ns(let ns):
            writeKey("NS")
            writeStrings(ns.map(\.text))
        case .bs(let bs):
            writeKey("BS")
            writeStrings(bs.map(Base64.encode))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func write(item: Item) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (name, value) in item {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeKey(name)
            write(attribute: value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func writeStrings(_ strings: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, s) in strings.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(s)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
