/// Standard base64 (RFC 4648, padded), strict on input the way DynamoDB's deserializer is.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func encode(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let n = UInt32(data[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes or explains why not (the explanation follows DynamoDB's SerializationException text).
    static func decode(_ text: String) -> Result<[UInt8], Base64Error> {
        let input = Array(text.utf8)
        if input.count % 4 != 0 {
            return .failure(Base64Error(message: "Base64 encoded length is expected a multiple of 4 bytes but found: \(input.count)"))
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var i = 0
        while i < input.count {
            var quad: [UInt8] = [0, 0, 0, 0]
            var padding = 0
            for j in 0..<4 {
                let c = input[i + j]
                if c == UInt8(ascii: "=") {
                    // Padding only at the very end, at most two characters.
                    guard i + 4 == input.count, j >= 2 else {
                        return .failure(Base64Error(message: "Invalid Base64 character: '='"))
                    }
                    padding += 1
                    continue
                }
                guard padding == 0 else { return .failure(Base64Error(message: "Invalid Base64 character: '\(Character(Unicode.Scalar(c)))'")) }
                let v = reverse[Int(c)]
                guard v != 0xFF else {
                    return .failure(Base64Error(message: "Invalid Base64 character: '\(Character(Unicode.Scalar(c)))'"))
                }
                quad[j] = v
            }
            let n = UInt32(quad[0]) << 18 | UInt32(quad[1]) << 12 | UInt32(quad[2]) << 6 | UInt32(quad[3])
            out.append(UInt8(n >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(n >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(n & 0xFF)) }
            if padding > 0 {
                // Bits beyond the encoded bytes must be zero (canonical encoding).
                let unused = padding == 2 ? n & 0xFFFF : n & 0xFF
                if unused != 0 { return .failure(Base64Error(message: "Invalid last non-pad Base64 character dectected")) }
            }
            i += 4
        }
        return .success(out)
    }
}

struct Base64Error: Error {
    var message: String
}
