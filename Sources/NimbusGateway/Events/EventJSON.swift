import Foundation
import NimbusCore

/// Serialises events straight to UTF-8 from a `JSONValue`: no dynamic casts, no Foundation.
/// `JSONSerialization` cost a large share of the gateway's per-request time on Linux; events
/// need none of its generality. Key order is the dictionary's (JSON objects are unordered).
enum EventJSON {
    static func data(_ value: JSONValue) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048)
        write(value, into: &bytes)
        return Data(bytes)
    }

    private static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes += "null".utf8
        case .bool(let flag): bytes += flag ? "true".utf8 : "false".utf8
        case .number(let number): self.number(number, into: &bytes)
        case .string(let text): string(text, into: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(value, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                string(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(value, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Whole numbers (epoch milliseconds) print without a fraction, as AWS sends them.
    private static func number(_ number: Double, into bytes: inout [UInt8]) {
        if !number.isFinite {
            bytes += "null".utf8
        } else if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
            bytes += String(Int64(number)).utf8
        } else {
            bytes += "\(number)".utf8
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func string(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most strings need no escaping: copy them whole.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 { escaped(byte, into: &bytes) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func escaped(_ byte: UInt8, into bytes: inout [UInt8]) {
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
}
