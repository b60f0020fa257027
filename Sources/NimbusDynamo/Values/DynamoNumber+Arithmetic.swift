extension DynamoNumber: Comparable {
    static func < (lhs: DynamoNumber, rhs: DynamoNumber) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way numeric comparison.
    static func compare(_ lhs: DynamoNumber, _ rhs: DynamoNumber) -> Int {
        let ls = lhs.signum, rs = rhs.signum
        if ls != rs { return ls < rs ? -1 : 1 }
        if ls == 0 { return 0 }
        let magnitude = compareMagnitude(lhs, rhs)
        return ls > 0 ? magnitude : -magnitude
    }

    var signum: Int { isZero ? 0 : (isNegative ? -1 : 1) }

    private static func compareMagnitude(_ lhs: DynamoNumber, _ rhs: DynamoNumber) -> Int {
        if lhs.exponent != rhs.exponent { return lhs.exponent < rhs.exponent ? -1 : 1 }
        let count = min(lhs.digits.count, rhs.digits.count)
        for i in 0..<count where lhs.digits[i] != rhs.digits[i] {
            return lhs.digits[i] < rhs.digits[i] ? -1 : 1
        }
        if lhs.digits.count == rhs.digits.count { return 0 }
        return lhs.digits.count < rhs.digits.count ? -1 : 1
    }

    /// Exact sum, checked against DynamoDB's limits.
    static func adding(_ lhs: DynamoNumber, _ rhs: DynamoNumber) throws(NumberError) -> DynamoNumber {
        try exactSum(lhs, rhs).validated()
    }

    /// Exact difference, checked against DynamoDB's limits.
    static func subtracting(_ lhs: DynamoNumber, _ rhs: DynamoNumber) throws(NumberError) -> DynamoNumber {
        try exactSum(lhs, rhs.negated).validated()
    }

    /// Exact sum of two decimals: align both to the lower exponent, then add or subtract digit arrays.
    static func exactSum(_ lhs: DynamoNumber, _ rhs: DynamoNumber) -> DynamoNumber {
        if lhs.isZero { return rhs }
        if rhs.isZero { return lhs }
        let low = min(lhs.lowestExponent, rhs.lowestExponent)
        let high = max(lhs.exponent, rhs.exponent)
        let width = high - low + 1
        let a = aligned(lhs, low: low, width: width)
        let b = aligned(rhs, low: low, width: width)
        var result: [UInt8]
        var negative: Bool
        if lhs.isNegative == rhs.isNegative {
            result = addMagnitudes(a, b)
            negative = lhs.isNegative
        } else {
            let order = compareMagnitude(lhs, rhs)
            if order == 0 { return .zero }
            if order > 0 {
                result = subtractMagnitudes(a, b)
                negative = lhs.isNegative
            } else {
                result = subtractMagnitudes(b, a)
                negative = rhs.isNegative
            }
        }
        // `result` is little-endian with one possible carry digit beyond `width`.
        let topExponent = low + result.count - 1
        result.reverse()
        return DynamoNumber(unchecked: negative, digits: result, exponent: topExponent)
    }

    /// Little-endian digits of |value| scaled so index 0 is 10^low.
    private static func aligned(_ value: DynamoNumber, low: Int, width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width)
        for (i, d) in value.digits.enumerated() {
            out[value.exponent - i - low] = d
        }
        return out
    }

    private static func addMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: a.count + 1)
        var carry: UInt8 = 0
        for i in 0..<a.count {
            let s = a[i] + b[i] + carry
            out[i] = s % 10
            carry = s / 10
        }
        out[a.count] = carry
        return out
    }

    /// a − b for |a| ≥ |b|.
    private static func subtractMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: a.count)
        var borrow: Int = 0
        for i in 0..<a.count {
            var d = Int(a[i]) - Int(b[i]) - borrow
            if d < 0 {
                d += 10
                borrow = 1
            } else {
                borrow = 0
            }
            out[i] = UInt8(d)
        }
        return out
    }
}
