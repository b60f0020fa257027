import Testing

@testable import NimbusDynamo

@Suite("RequestIDGenerator")
struct RequestIDGeneratorTests {
    @Test("52 characters of DynamoDB's alphabet, a shared prefix and a counting suffix")
    func shape() {
        let generator = RequestIDGenerator()
        let ids = (0..<40).map { _ in generator.next() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for id in ids {
            #expect(id.count == 52)
            #expect(id.allSatisfy(alphabet.contains))
            #expect(id.prefix(39) == ids[0].prefix(39))
        }
        #expect(Set(ids).count == ids.count)
        // The counter in base 36, zero-padded with the alphabet's first character.
        #expect(ids[0].suffix(13) == "AAAAAAAAAAAAB")
        #expect(ids[35].suffix(13) == "AAAAAAAAAAABA")
    }
}
