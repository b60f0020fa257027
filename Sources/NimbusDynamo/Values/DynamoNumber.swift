/// A DynamoDB number: an exact decimal with up to 38 significant digits and a magnitude between
/// 1E-130 and 9.99…E+125. Stored normalised (no leading or trailing zeros), so `1.0`, `1` and `1E0`
/// are the same value and print the same way. Never goes through `Double`.
struct DynamoNumber: Sendable, Hashable {
    static let maximumDigits = 38
    static let maximumExponent = 125
    static let minimumExponent = -130

    /// Sign of a non-zero value; always `false` for zero.
    private(set) var isNegative: Bool
    /// Significant digits (0…9), most significant first; first and last are non-zero. Empty for zero.
    private(set) var digits: [UInt8]
    /// Power of ten of the first digit: value = ±Σ digits[i] × 10^(exponent − i). 0 for zero.
    private(set) var exponent: Int

    static let zero = DynamoNumber(unchecked: false, digits: [], exponent: 0)

    var isZero: Bool { digits.isEmpty }

    /// Builds a value from raw digits, trimming zeros; performs no range checks.
    init(unchecked negative: Bool, digits raw: [UInt8], exponent: Int) {
        var start = 0
        while start < raw.count, raw[start] == 0 { start += 1 }
        var end = raw.count
        while end > start, raw[end - 1] == 0 { end -= 1 }
        if start == end {
            self.isNegative = false
            self.digits = []
            self.exponent = 0
        } else {
            self.isNegative = negative
            self.digits = Array(raw[start..<end])
            self.exponent = exponent - start
        }
    }

    init(_ value: Int) {
        let negative = value < 0
        let magnitude = value.magnitude
        let text = Array(String(magnitude).utf8).map { $0 - UInt8(ascii: "0") }
        self.init(unchecked: negative, digits: text, exponent: text.count - 1)
    }

    /// Checks DynamoDB's limits; the error is one of DynamoDB's messages.
    func validated() throws(NumberError) -> DynamoNumber {
        if isZero { return self }
        if exponent > Self.maximumExponent { throw .overflow }
        if exponent < Self.minimumExponent { throw .underflow }
        if digits.count > Self.maximumDigits { throw .precision }
        return self
    }

    var negated: DynamoNumber {
        var copy = self
        if !isZero { copy.isNegative.toggle() }
        return copy
    }

    /// The exponent of the least significant digit.
    var lowestExponent: Int { exponent - (digits.count - 1) }

    /// `Int` value when the number is an integer that fits.
    var intValue: Int? {
        if isZero { return 0 }
        guard lowestExponent >= 0, exponent < 18 else { return nil }
        var result = 0
        for d in digits { result = result * 10 + Int(d) }
        for _ in 0..<lowestExponent { result *= 10 }
        return isNegative ? -result : result
    }

    /// Seconds since the epoch, truncated toward negative infinity; used by TTL.
    var epochSeconds: Int64? {
        if isZero { return 0 }
        guard exponent < 18 else { return isNegative ? Int64.min : Int64.max }
        var result: Int64 = 0
        var hasFraction = false
        for (i, d) in digits.enumerated() {
            let power = exponent - i
            if power >= 0 { result = result * 10 + Int64(d) } else if d != 0 { hasFraction = true }
        }
        if lowestExponent > 0 { for _ in 0..<lowestExponent { result *= 10 } }
        if exponent < 0 { result = 0 }
        if isNegative { return hasFraction ? -result - 1 : -result }
        return result
    }
}

/// Why a number was rejected, worded as DynamoDB words it.
enum NumberError: Error, Equatable {
    case notNumeric(String)
    case overflow
    case underflow
    case precision

    var message: String {
        switch self {
        case .notNumeric(let text): "The parameter cannot be converted to a numeric value: \(text)"
        case .overflow: "Number overflow. Attempting to store a number with magnitude larger than supported range"
        case .underflow: "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        case .precision: "Attempting to store more than 38 significant digits in a Number"
        }
    }
}
