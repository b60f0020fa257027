import Foundation
import NimbusCore
import Testing

struct IdentifierTests {
    @Test func generatedRequestIDsAreDistinctVersion4UUIDs() throws {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = InvocationID()
            let uuid = try #require(UUID(uuidString: id.rawValue), "\(id) is not a UUID")
            #expect(id.rawValue == id.rawValue.lowercased())
            #expect(uuid.uuid.6 >> 4 == 4, "version nibble of \(id)")
            #expect(uuid.uuid.8 >> 6 == 0b10, "variant bits of \(id)")
            seen.insert(id.rawValue)
        }
        #expect(seen.count == 10_000)
    }

    @Test(arguments: [
        "3f2b8c1e-9d4a-4e6b-8f0c-2a1b3c4d5e6f", "3F2B8C1E-9D4A-4E6B-8F0C-2A1B3C4D5E6F", "00000000-0000-0000-0000-000000000000",
    ])
    func parsesUUIDsInEitherCase(_ text: String) throws {
        let id = try #require(InvocationID(text))
        #expect(id.rawValue == text.lowercased())
    }

    @Test(arguments: [
        "", "not-a-uuid", "3f2b8c1e9d4a4e6b8f0c2a1b3c4d5e6f", "3f2b8c1e-9d4a-4e6b-8f0c-2a1b3c4d5e6", "3f2b8c1e-9d4a-4e6b-8f0c-2a1b3c4d5e6fa",
        "3f2b8c1e-9d4a-4e6b-8f0c_2a1b3c4d5e6f", "3f2b8c1g-9d4a-4e6b-8f0c-2a1b3c4d5e6f", "../../../../etc/passwd-aaaaaaaaaaaaaaa",
    ])
    func rejectsAnythingElse(_ text: String) {
        #expect(InvocationID(text) == nil)
    }

    @Test func traceHeadersHaveAWSRootFormat() throws {
        let header = TraceHeader.generate(now: Date(timeIntervalSince1970: 1_700_000_000))
        let text = header.description
        let root = try #require(text.split(separator: ";").first)
        let parts = root.dropFirst("Root=".count).split(separator: "-")
        #expect(root.hasPrefix("Root=1-"))
        #expect(parts.count == 3)
        #expect(parts[1] == "6553f100")
        #expect(parts[2].count == 24)
        #expect(parts[2].allSatisfy { $0.isHexDigit })
        #expect(TraceHeader.generate().description != TraceHeader.generate().description)
    }
}
