extension DynamoNumber {
    /// Parses DynamoDB's number syntax (`-12.5`, `1e10`, `+.5`, `007`) exactly and validates the range.
    init(parsing text: String) throws(NumberError) {
        let value = try Self.parseUnchecked(text)
        self = try value.validated()
    }

    /// Parses without range checks (arithmetic results are checked by the caller).
    static func parseUnchecked(_ text: String) throws(NumberError) -> DynamoNumber {
        var mantissa: [UInt8] = []
        mantissa.reserveCapacity(text.utf8.count)
        var negative = false
        var integerDigits = 0
        var sawPoint = false
        var sawDigit = false
        var exponent = 0
        var iterator = text.utf8.makeIterator()
        var next = iterator.next()
        if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
            negative = next == UInt8(ascii: "-")
            next = iterator.next()
        }
        while let c = next {
            if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                mantissa.append(c - UInt8(ascii: "0"))
                if !sawPoint { integerDigits += 1 }
                sawDigit = true
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            next = iterator.next()
        }
        guard sawDigit else { throw .notNumeric(text) }
        if let c = next {
            guard c == UInt8(ascii: "e") || c == UInt8(ascii: "E") else { throw .notNumeric(text) }
            next = iterator.next()
            var exponentNegative = false
            if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                exponentNegative = next == UInt8(ascii: "-")
                next = iterator.next()
            }
            var exponentDigits = 0
            while let c = next {
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw .notNumeric(text) }
                // Clamp absurd exponents instead of overflowing; they fail the range check anyway.
                if exponent < 1_000_000_000 { exponent = exponent * 10 + Int(c - UInt8(ascii: "0")) }
                exponentDigits += 1
                next = iterator.next()
            }
            guard exponentDigits > 0 else { throw .notNumeric(text) }
            if exponentNegative { exponent = -exponent }
        }
        return DynamoNumber(unchecked: negative, digits: mantissa, exponent: integerDigits - 1 + exponent)
    }

    /// Plain decimal notation without exponent, as DynamoDB returns numbers.
    var text: String {
        if isZero { return "0" }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + max(0, exponent) + 4)
        if isNegative { out.append(UInt8(ascii: "-")) }
        let zero = UInt8(ascii: "0")
        if exponent < 0 {
            out.append(zero)
            out.append(UInt8(ascii: "."))
            for _ in 0..<(-exponent - 1) { out.append(zero) }
            for d in digits { out.append(zero + d) }
        } else if exponent >= digits.count - 1 {
            for d in digits { out.append(zero + d) }
            for _ in 0..<(exponent - (digits.count - 1)) { out.append(zero) }
        } else {
            for (i, d) in digits.enumerated() {
                if i == exponent + 1 { out.append(UInt8(ascii: ".")) }
                out.append(zero + d)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension DynamoNumber: CustomStringConvertible {
    var description: String { text }
}
