import Crypto
import NIOCore
import Synchronization

/// Writes an upload body to storage and computes its digests on pool threads, in batches, while
/// the request receives the next batch: MD5 (the ETag) always, SHA-256 (`x-amz-content-sha256`)
/// and an `x-amz-checksum-*` when asked for.
///
/// A request's work runs on an event loop. Done there, a large PUT takes the sum of receiving,
/// writing, MD5 (about 650 MB/s on one core here, and it cannot be split) and SHA-256, and a slow
/// disk stalls every connection on that loop. Instead each batch of received bytes (`ByteBuffer`s,
/// shared, not copied) goes to three pool jobs at once: the write, the MD5, and the rest. One
/// batch is processed while the next fills, so memory stays bounded whatever the upload's size,
/// and a slow disk or hash slows the receiver (and, through TCP, the client) down. Bodies smaller
/// than a batch are handled in line: a thread hop would cost more.
struct UploadPipeline {
    static let batchSize = 1 << 20

    struct Digests {
        var md5: [UInt8]
        var sha256: [UInt8]?
        /// The `x-amz-checksum-*` value (base64).
        var checksum: String?
    }

    private let writer: any ObjectWriter
    private let hashers: Hashers
    private var batch: [ByteBuffer] = []
    private var batchBytes = 0
    /// The jobs of the previous batch.
    private var processing: EventLoopFuture<Void>?

    init(writer: any ObjectWriter, sha256: Bool, checksum: ChecksumAlgorithm?) {
        self.writer = writer
        hashers = Hashers(sha256: sha256 ? SHA256() : nil, checksum: checksum.map(ChecksumHasher.init))
    }

    /// Adds the next bytes; waits when the previous batch is still being processed.
    mutating func append(_ buffer: ByteBuffer) async throws {
        batch.append(buffer)
        batchBytes += buffer.readableBytes
        if batchBytes >= Self.batchSize { try await startBatch() }
    }

    /// Waits for everything appended to be written, and returns its digests.
    mutating func finish() async throws -> Digests {
        if processing == nil {
            try Self.write(batch, to: writer)
            hashers.updateMD5(batch)
            hashers.updateOthers(batch)
        } else {
            try await startBatch()
            try await processing?.get()
        }
        return hashers.finish()
    }

    /// Waits for the jobs under way, whatever their outcome (before the writer is discarded).
    mutating func drain() async {
        _ = try? await processing?.get()
        processing = nil
    }

    private mutating func startBatch() async throws {
        try await processing?.get()
        let (writer, hashers, batch) = (self.writer, self.hashers, self.batch)
        self.batch = []
        batchBytes = 0
        guard !batch.isEmpty else {
            processing = nil
            return
        }
        var jobs = BlockingIO.start { try Self.write(batch, to: writer) }
            .and(BlockingIO.start { hashers.updateMD5(batch) }).map { _ in }
        if hashers.hasOthers {
            jobs = jobs.and(BlockingIO.start { hashers.updateOthers(batch) }).map { _ in }
        }
        processing = jobs
    }

    private static func write(_ batch: [ByteBuffer], to writer: any ObjectWriter) throws {
        for buffer in batch { try buffer.withUnsafeReadableBytes { try writer.append($0) } }
    }

    /// The running digests; each is updated by one job at a time (a batch's jobs start when the
    /// previous batch's have ended).
    private final class Hashers: Sendable {
        private let md5 = Mutex(Insecure.MD5())
        private let others: Mutex<(sha256: SHA256?, checksum: ChecksumHasher?)>
        let hasOthers: Bool

        init(sha256: sending SHA256?, checksum: sending ChecksumHasher?) {
            hasOthers = sha256 != nil || checksum != nil
            others = Mutex((sha256, checksum))
        }

        func updateMD5(_ batch: [ByteBuffer]) {
            md5.withLock { md5 in
                for buffer in batch { buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) } }
            }
        }

        func updateOthers(_ batch: [ByteBuffer]) {
            guard hasOthers else { return }
            others.withLock { others in
                for buffer in batch {
                    buffer.withUnsafeReadableBytes { bytes in
                        others.sha256?.update(bufferPointer: bytes)
                        others.checksum?.update(bytes)
                    }
                }
            }
        }

        func finish() -> Digests {
            let md5 = md5.withLock { Array($0.finalize()) }
            return others.withLock {
                Digests(md5: md5, sha256: $0.sha256.map { Array($0.finalize()) }, checksum: $0.checksum?.value())
            }
        }
    }
}
