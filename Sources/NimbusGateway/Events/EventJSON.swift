import Foundation

/// Serialises the event builders' values (strings, integers, booleans, `NSNull`, arrays and
/// string-keyed dictionaries) straight to UTF-8. Foundation's `JSONSerialization` costs a large
/// share of the gateway's per-request time on Linux; events need none of its generality.
enum EventJSON {
    static func data(_ value: Any) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048)
        write(value, into: &bytes)
        return Data(bytes)
    }

    private static func write(_ value: Any, into bytes: inout [UInt8]) {
        switch value {
        case let text as String: string(text, into: &bytes)
        case let object as [String: String]:
            members(object.lazy.map { ($0.key, $0.value as Any) }, into: &bytes)
        case let object as [String: [String]]:
            members(object.lazy.map { ($0.key, $0.value as Any) }, into: &bytes)
        case let object as [String: Any]:
            members(object.lazy.map { ($0.key, $0.value) }, into: &bytes)
        case let array as [String]:
            elements(array.lazy.map { $0 as Any }, into: &bytes)
        case let array as [Any]:
            elements(array, into: &bytes)
        case let flag as Bool: bytes += flag ? Array("true".utf8) : Array("false".utf8)
        case let number as Int: bytes += Array(String(number).utf8)
        case let number as Int64: bytes += Array(String(number).utf8)
        case let number as Double: bytes += Array((number.isFinite ? "\(number)" : "null").utf8)
        default: bytes += Array("null".utf8)
        }
    }

    private static func members(_ pairs: some Sequence<(String, Any)>, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in pairs {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            write(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static func elements(_ values: some Sequence<Any>, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func string(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                bytes += Array("\\u00".utf8)
                bytes += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
