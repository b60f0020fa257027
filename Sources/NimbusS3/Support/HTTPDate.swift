/// Date formats S3 speaks, over Unix seconds, without Foundation's formatters (slow, and
/// locale-sensitive): RFC 1123 for headers, ISO 8601 for XML, `yyyyMMdd'T'HHmmss'Z'` for SigV4.
enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    struct Civil: Equatable {
        var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64
    }

    /// `Wed, 12 Oct 2009 17:50:30 GMT`
    static func rfc1123(_ seconds: Int64) -> String {
        let c = civil(seconds)
        let days = floorDiv(seconds, 86_400)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(c.day)) \(months[Int(c.month - 1)]) \(c.year) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) GMT"
    }

    /// `2009-10-12T17:50:30.000Z`
    static func iso8601(_ seconds: Int64) -> String {
        let c = civil(seconds)
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)).000Z"
    }

    /// Parses RFC 1123 (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
    /// and asctime (`Sun Nov  6 08:49:37 1994`), the three forms HTTP allows.
    static func parseHTTP(_ text: some StringProtocol) -> Int64? {
        let parts = String(text).split(whereSeparator: { (c: Character) in c == " " || c == "," }).map(String.init)
        switch parts.count {
        case 6 where parts[5] == "GMT" || parts[5] == "UTC":  // RFC 1123
            guard let day = Int64(parts[1]), let month = monthNumber(parts[2]), let year = Int64(parts[3]) else {
                return nil
            }
            return combine(year: year, month: month, day: day, time: parts[4])
        case 4 where parts[3] == "GMT":  // RFC 850
            let dmy = parts[1].split(separator: "-")
            guard dmy.count == 3, let day = Int64(dmy[0]), let month = monthNumber(String(dmy[1])),
                var year = Int64(dmy[2])
            else { return nil }
            if year < 100 { year += year < 70 ? 2000 : 1900 }
            return combine(year: year, month: month, day: day, time: parts[2])
        case 5:  // asctime
            guard let month = monthNumber(parts[1]), let day = Int64(parts[2]), let year = Int64(parts[4]) else {
                return nil
            }
            return combine(year: year, month: month, day: day, time: parts[3])
        default:
            return nil
        }
    }

    /// `20130524T000000Z` (SigV4's `X-Amz-Date`).
    static func parseAmzDate(_ text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        return validated(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// ISO 8601 as lifecycle rules and SDKs write it: `2025-01-01`, `2025-01-01T00:00:00Z`,
    /// `2025-01-01T00:00:00.000Z`, `2025-01-01T00:00:00+00:00`.
    static func parseISO8601(_ text: some StringProtocol) -> Int64? {
        let string = String(text)
        let datePart = string.prefix(10)
        let ymd = datePart.split(separator: "-")
        guard ymd.count == 3, let year = Int64(ymd[0]), let month = Int64(ymd[1]), let day = Int64(ymd[2]) else {
            return nil
        }
        var rest = string.dropFirst(10)
        if rest.isEmpty {
            return validated(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        }
        guard rest.first == "T" else { return nil }
        rest = rest.dropFirst()
        var offset: Int64 = 0
        if rest.hasSuffix("Z") {
            rest = rest.dropLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: sign)...].split(separator: ":")
            guard zone.count == 2, let h = Int64(zone[0]), let m = Int64(zone[1]) else { return nil }
            offset = (h * 3600 + m * 60) * (rest[sign] == "+" ? 1 : -1)
            rest = rest[..<sign]
        }
        if let dot = rest.firstIndex(of: ".") { rest = rest[..<dot] }
        guard let seconds = combine(year: year, month: month, day: day, time: String(rest)) else { return nil }
        return seconds - offset
    }

    static func civil(_ seconds: Int64) -> Civil {
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Civil(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60)
    }

    static func seconds(year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0)
        -> Int64
    {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func combine(year: Int64, month: Int64, day: Int64, time: String) -> Int64? {
        let hms = time.split(separator: ":")
        guard hms.count == 3, let hour = Int64(hms[0]), let minute = Int64(hms[1]), let second = Int64(hms[2]) else {
            return nil
        }
        return validated(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    private static func validated(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64)
        -> Int64?
    {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second), (0...9999).contains(year)
        else { return nil }
        let result = seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        // Reject dates like 31 February, which would silently roll over.
        guard civil(result - (second == 60 ? 1 : 0)).day == day else { return nil }
        return result
    }

    private static func monthNumber(_ name: String) -> Int64? {
        months.firstIndex(of: name).map { Int64($0 + 1) }
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }
}
