import Testing

@testable import NimbusS3

@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-4", ByteRange.partial(0...4)),
        ("bytes=5-", .partial(5...9)),
        ("bytes=-3", .partial(7...9)),
        ("bytes=-30", .partial(0...9)),
        ("bytes=8-100", .partial(8...9)),
        ("bytes=9-9", .partial(9...9)),
        (" bytes=2-3 ", .partial(2...3)),
        ("bytes=10-20", .unsatisfiable),
        ("bytes=10-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-2", .whole),
        ("bytes=0-1,3-4", .whole),
        ("items=0-1", .whole),
        ("bytes=a-b", .whole),
        ("bytes=-", .whole),
        ("bytes", .whole),
    ])
    func parsesAgainstATenByteObject(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange.parse(header, size: 10) == expected)
    }

    @Test func absentHeaderIsWholeObject() {
        #expect(ByteRange.parse(nil, size: 10) == .whole)
    }

    @Test func anyRangeOfAnEmptyObjectIsUnsatisfiable() {
        #expect(ByteRange.parse("bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-5", size: 0) == .unsatisfiable)
    }

    @Test func copySourceRangeMustBeExplicitAndInside() throws {
        #expect(try ByteRange.parseCopySourceRange("bytes=0-9", size: 10) == 0...9)
        for bad in ["bytes=0-10", "bytes=5-", "bytes=-5", "bytes=3-2", "0-1"] {
            #expect(throws: S3Error.self) { try ByteRange.parseCopySourceRange(bad, size: 10) }
        }
    }
}
