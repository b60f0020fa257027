import Testing

@testable import NimbusS3

@Suite struct HTTPDateTests {
    static let sample: Int64 = 1_255_369_830  // Mon, 12 Oct 2009 17:50:30 GMT

    @Test func formatsRFC1123AndISO8601() {
        #expect(HTTPDate.rfc1123(Self.sample) == "Mon, 12 Oct 2009 17:50:30 GMT")
        #expect(HTTPDate.iso8601(Self.sample) == "2009-10-12T17:50:30.000Z")
        #expect(HTTPDate.rfc1123(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.iso8601(951_782_400) == "2000-02-29T00:00:00.000Z")
    }

    @Test(arguments: [
        "Mon, 12 Oct 2009 17:50:30 GMT", "Monday, 12-Oct-09 17:50:30 GMT", "Mon Oct 12 17:50:30 2009",
    ])
    func parsesTheThreeHTTPForms(_ text: String) {
        #expect(HTTPDate.parseHTTP(text) == Self.sample)
    }

    @Test(arguments: ["", "yesterday", "Mon, 32 Oct 2009 17:50:30 GMT", "Mon, 12 Foo 2009 17:50:30 GMT",
        "Mon, 31 Feb 2009 17:50:30 GMT"])
    func rejectsBadHTTPDates(_ text: String) {
        #expect(HTTPDate.parseHTTP(text) == nil)
    }

    @Test func parsesAmzDateAndISO8601() {
        #expect(HTTPDate.parseAmzDate("20091012T175030Z") == Self.sample)
        #expect(HTTPDate.parseAmzDate("2009-10-12T17:50:30Z") == nil)
        #expect(HTTPDate.parseISO8601("2009-10-12T17:50:30Z") == Self.sample)
        #expect(HTTPDate.parseISO8601("2009-10-12T17:50:30.123Z") == Self.sample)
        #expect(HTTPDate.parseISO8601("2009-10-12T19:50:30+02:00") == Self.sample)
        #expect(HTTPDate.parseISO8601("2009-10-12") == Self.sample - (17 * 3600 + 50 * 60 + 30))
        #expect(HTTPDate.parseISO8601("12/10/2009") == nil)
    }

    @Test func roundTripsAcrossCenturies() {
        for seconds: Int64 in [-86_400 * 365 * 100, -1, 0, 1, 4_102_444_800, 253_402_300_799] {
            #expect(HTTPDate.parseHTTP(HTTPDate.rfc1123(seconds)) == seconds)
            #expect(HTTPDate.parseISO8601(HTTPDate.iso8601(seconds)) == seconds)
        }
    }
}
