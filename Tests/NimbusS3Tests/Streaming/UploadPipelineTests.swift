import Crypto
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import NimbusS3

@Suite struct UploadPipelineTests {
    /// Keeps what it is given in memory; fails once `failAfter` bytes have been written.
    final class MemoryWriter: ObjectWriter {
        private let state = Mutex<(bytes: [UInt8], discarded: Bool)>(([], false))
        private let failAfter: Int?
        private let delayMicroseconds: UInt32

        init(failAfter: Int? = nil, delayMicroseconds: UInt32 = 0) {
            self.failAfter = failAfter
            self.delayMicroseconds = delayMicroseconds
        }

        var bytes: [UInt8] { state.withLock { $0.bytes } }
        var discarded: Bool { state.withLock { $0.discarded } }

        func append(_ bytes: UnsafeRawBufferPointer) throws {
            if delayMicroseconds > 0 { usleep(delayMicroseconds) }
            try state.withLock { state in
                if let failAfter, state.bytes.count + bytes.count > failAfter { throw POSIXError(.ENOSPC) }
                state.bytes += bytes
            }
        }

        func finish(_ metadata: ObjectMetadata) throws {}

        func discard() {
            state.withLock { $0.discarded = true }
        }
    }

    static func body(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Feeds `body` in pieces of varied sizes, as the network delivers it.
    static func upload(_ body: [UInt8], to pipeline: inout UploadPipeline) async throws -> UploadPipeline.Digests {
        var start = 0
        var size = 1
        while start < body.count {
            let end = min(start + size, body.count)
            try await pipeline.append(ByteBuffer(bytes: body[start..<end]))
            start = end
            size = size * 7 % 300_001 + 1
        }
        return try await pipeline.finish()
    }

    /// Small bodies (handled in line) and large ones (through the feed) get the same digests.
    @Test(arguments: [0, 1, 65_537, UploadPipeline.parallelThreshold + 1, 11 * 1024 * 1024 + 3])
    func digestsAndBytesMatchTheBody(size: Int) async throws {
        let body = Self.body(size)
        for checksum in [nil, ChecksumAlgorithm.crc32, .crc32c, .crc64nvme, .sha1, .sha256] {
            let writer = MemoryWriter()
            var pipeline = UploadPipeline(writer: writer, sha256: true, checksum: checksum)
            let digests = try await Self.upload(body, to: &pipeline)
            #expect(writer.bytes == body)
            #expect(digests.md5 == Array(Insecure.MD5.hash(data: body)))
            #expect(digests.sha256 == Array(SHA256.hash(data: body)))
            var expected = checksum.map(ChecksumHasher.init)
            expected?.update(body)
            #expect(digests.checksum == expected?.value())
        }
    }

    @Test func withoutSHA256OrChecksumOnlyMD5IsComputed() async throws {
        let body = Self.body(3 * 1024 * 1024)
        let writer = MemoryWriter()
        var pipeline = UploadPipeline(writer: writer, sha256: false, checksum: nil)
        let digests = try await Self.upload(body, to: &pipeline)
        #expect(digests.md5 == Array(Insecure.MD5.hash(data: body)))
        #expect(digests.sha256 == nil)
        #expect(digests.checksum == nil)
        #expect(writer.bytes == body)
    }

    /// A write failing in the middle of a large body fails the upload (at an append or at the
    /// end); draining then leaves no job using the writer.
    @Test func aFailingWriteFailsTheUpload() async throws {
        let body = Self.body(12 * 1024 * 1024)
        let writer = MemoryWriter(failAfter: 5 * 1024 * 1024)
        var pipeline = UploadPipeline(writer: writer, sha256: true, checksum: .crc32)
        await #expect(throws: POSIXError.self) { try await Self.upload(body, to: &pipeline) }
        await pipeline.drain()
        let written = writer.bytes.count
        #expect(written <= 5 * 1024 * 1024)
        #expect(writer.bytes == Array(body.prefix(written)))
    }

    /// The receiver is held back by the slowest consumer (here a slow disk): a large body never
    /// sits in memory.
    @Test func aSlowWriteBoundsTheBytesHeld() async throws {
        let writer = MemoryWriter(delayMicroseconds: 500)
        var pipeline = UploadPipeline(writer: writer, sha256: true, checksum: .crc32)
        let body = Self.body(32 * 1024 * 1024)
        var maximumHeld = 0
        for start in stride(from: 0, to: body.count, by: 65_536) {
            try await pipeline.append(ByteBuffer(bytes: body[start..<(start + 65_536)]))
            maximumHeld = max(maximumHeld, pipeline.heldBytes)
        }
        _ = try await pipeline.finish()
        #expect(writer.bytes == body)
        #expect(maximumHeld > UploadPipeline.memoryLimit / 2)
        #expect(maximumHeld <= UploadPipeline.memoryLimit + 65_536)
    }
}
