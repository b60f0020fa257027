import Testing

@testable import NimbusDynamo

@Suite("DynamoNumber")
struct DynamoNumberTests {
    @Test("normalises to DynamoDB's plain notation", arguments: [
        ("1", "1"), ("1.0", "1"), ("01", "1"), ("-0", "0"), ("0.000", "0"), ("+5", "5"),
        ("1e2", "100"), ("1E+2", "100"), ("1.5e1", "15"), ("12.340", "12.34"), (".5", "0.5"),
        ("5.", "5"), ("-0.001", "-0.001"), ("1e-5", "0.00001"), ("123456789012345678901234567890.12345678", "123456789012345678901234567890.12345678"),
        ("1E+125", "1" + String(repeating: "0", count: 125)), ("1E-130", "0." + String(repeating: "0", count: 129) + "1"),
        ("-9.9999999999999999999999999999999999999E+125", "-99999999999999999999999999999999999999" + String(repeating: "0", count: 88)),
        ("10000000000000000000000000000000000000000000", "10000000000000000000000000000000000000000000"),
    ])
    func normalisation(input: String, expected: String) throws {
        #expect(try DynamoNumber(parsing: input).text == expected)
    }

    @Test("rejects what DynamoDB rejects", arguments: [
        ("abc", NumberError.notNumeric("abc")), ("1..2", .notNumeric("1..2")), ("1e", .notNumeric("1e")),
        (" 1", .notNumeric(" 1")), ("1 ", .notNumeric("1 ")), ("NaN", .notNumeric("NaN")), ("Infinity", .notNumeric("Infinity")),
        ("0x10", .notNumeric("0x10")), ("--1", .notNumeric("--1")), ("", .notNumeric("")),
        ("1E+126", .overflow), ("-1E+126", .overflow), ("1E-131", .underflow), ("1e999999999999", .overflow),
        ("1.00000000000000000000000000000000000001", .precision),
    ])
    func rejection(input: String, error: NumberError) {
        #expect(throws: error) { try DynamoNumber(parsing: input) }
    }

    @Test("error messages are DynamoDB's")
    func messages() {
        #expect(NumberError.notNumeric("x").message == "The parameter cannot be converted to a numeric value: x")
        #expect(NumberError.overflow.message == "Number overflow. Attempting to store a number with magnitude larger than supported range")
        #expect(NumberError.underflow.message == "Number underflow. Attempting to store a number with magnitude smaller than supported range")
        #expect(NumberError.precision.message == "Attempting to store more than 38 significant digits in a Number")
    }

    @Test("38 significant digits are kept exactly")
    func precision() throws {
        let text = "1234567890123456789012345678901234567.8"
        #expect(try DynamoNumber(parsing: text).text == text)
        #expect(try DynamoNumber(parsing: "0.1").text == "0.1")
    }

    @Test("equal values compare equal regardless of spelling", arguments: [("1", "1.0"), ("100", "1e2"), ("0.5", "5E-1"), ("-0", "0")])
    func equality(a: String, b: String) throws {
        let x = try DynamoNumber(parsing: a), y = try DynamoNumber(parsing: b)
        #expect(x == y)
        #expect(x.hashValue == y.hashValue)
        #expect(DynamoNumber.compare(x, y) == 0)
    }

    @Test("ordering is numeric", arguments: [
        ("-10", "-9"), ("-1.25", "-1.2"), ("-1", "0"), ("0", "0.0001"), ("1.2", "1.25"), ("9", "10"), ("99", "100"),
        ("1E-130", "2E-130"), ("-1E+125", "1E-130"),
    ])
    func ordering(smaller: String, larger: String) throws {
        let a = try DynamoNumber(parsing: smaller), b = try DynamoNumber(parsing: larger)
        #expect(a < b)
        #expect(!(b < a))
        #expect(DynamoNumber.compare(b, a) == 1)
    }

    @Test("addition and subtraction are exact", arguments: [
        ("0.1", "0.2", "0.3"), ("1", "-1", "0"), ("999", "1", "1000"), ("-5", "3", "-2"), ("5.3", "0.05", "5.35"),
        ("1.2", "5", "6.2"), ("12345678901234567890123456789012345678", "1", "12345678901234567890123456789012345679"),
        ("-0.5", "-0.5", "-1"), ("1E+100", "-1E+100", "0"), ("0", "-3.5", "-3.5"),
    ])
    func addition(a: String, b: String, sum: String) throws {
        let x = try DynamoNumber(parsing: a), y = try DynamoNumber(parsing: b)
        #expect(try DynamoNumber.adding(x, y).text == sum)
        #expect(try DynamoNumber.subtracting(try DynamoNumber(parsing: sum), y).text == x.text)
    }

    @Test("arithmetic past 38 digits or the range fails")
    func arithmeticLimits() throws {
        let big = try DynamoNumber(parsing: "1E+100")
        #expect(throws: NumberError.precision) { try DynamoNumber.adding(big, DynamoNumber(1)) }
        let max = try DynamoNumber(parsing: "9.9999999999999999999999999999999999999E+125")
        #expect(throws: NumberError.overflow) { try DynamoNumber.adding(max, max) }
    }

    @Test("epoch seconds for TTL", arguments: [("1700000000", Int64(1_700_000_000)), ("1700000000.9", 1_700_000_000), ("0.5", 0), ("-1.5", -2), ("12", 12)])
    func epochSeconds(text: String, seconds: Int64) throws {
        #expect(try DynamoNumber(parsing: text).epochSeconds == seconds)
    }

    @Test("integer conversion")
    func intConversion() throws {
        #expect(DynamoNumber(42).text == "42")
        #expect(DynamoNumber(-7).text == "-7")
        #expect(DynamoNumber(0).isZero)
        #expect(try DynamoNumber(parsing: "1e3").intValue == 1000)
        #expect(try DynamoNumber(parsing: "1.5").intValue == nil)
    }
}
