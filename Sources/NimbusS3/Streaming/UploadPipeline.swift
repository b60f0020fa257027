import Crypto
import NIOCore
import Synchronization

/// Writes an upload body to storage and computes its digests on pool threads while the request
/// receives the rest: MD5 (the ETag) always, SHA-256 (`x-amz-content-sha256`) and an
/// `x-amz-checksum-*` when asked for.
///
/// A request's work runs on an event loop. Done there, a large PUT takes the sum of receiving,
/// writing, MD5 (about 650 MB/s on one core here, and it cannot be split) and SHA-256, and a slow
/// disk stalls every connection on that loop. Instead the received bytes (`ByteBuffer`s, shared,
/// not copied) go to three consumers of an ``UploadFeed``: the write, the MD5, and the rest, each
/// on its own pool job at its own pace, so the MD5 runs without pause while bytes arrive. Memory
/// stays bounded whatever the upload's size. Bodies smaller than `parallelThreshold` are handled
/// in line: a thread hop would cost more.
struct UploadPipeline {
    static let parallelThreshold = 1 << 20
    /// Received bytes held for the consumers at most; beyond it the receiver waits (and TCP slows
    /// the client down).
    static let memoryLimit = 8 << 20
    /// An idle consumer is started once this many bytes wait for it.
    static let startThreshold = 256 << 10

    struct Digests {
        var md5: [UInt8]
        var sha256: [UInt8]?
        /// The `x-amz-checksum-*` value (base64).
        var checksum: String?
    }

    private let writer: any ObjectWriter
    private let hashers: Hashers
    private let execute: UploadFeed.Executor
    /// The first bytes, until there are enough to go parallel.
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    private var feed: UploadFeed?

    init(
        writer: any ObjectWriter, sha256: Bool, checksum: ChecksumAlgorithm?,
        execute: @escaping UploadFeed.Executor = BlockingIO.execute
    ) {
        self.writer = writer
        self.execute = execute
        hashers = Hashers(sha256: sha256 ? SHA256() : nil, checksum: checksum.map(ChecksumHasher.init))
    }

    /// Received bytes not yet written and hashed.
    var heldBytes: Int { feed?.heldBytes ?? pendingBytes }

    /// Adds the next bytes; waits while too many received bytes wait for processing.
    mutating func append(_ buffer: ByteBuffer) async throws {
        if let feed {
            try await feed.append(buffer)
            return
        }
        pending.append(buffer)
        pendingBytes += buffer.readableBytes
        guard pendingBytes >= Self.parallelThreshold else { return }
        let feed = makeFeed()
        self.feed = feed
        for buffer in pending { try await feed.append(buffer) }
        pending = []
    }

    /// Waits for everything appended to be written, and returns its digests.
    mutating func finish() async throws -> Digests {
        if let feed {
            try await feed.finish()
        } else {
            for buffer in pending {
                try buffer.withUnsafeReadableBytes { try writer.append($0) }
                hashers.updateMD5(buffer)
                hashers.updateOthers(buffer)
            }
        }
        return hashers.finish()
    }

    /// Stops the jobs under way and waits for them (before the writer is discarded).
    mutating func drain() async {
        await feed?.abandon()
    }

    private func makeFeed() -> UploadFeed {
        let (writer, hashers) = (self.writer, self.hashers)
        var consumers: [UploadFeed.Consumer] = [
            { buffer in try buffer.withUnsafeReadableBytes { try writer.append($0) } },
            { buffer in hashers.updateMD5(buffer) },
        ]
        if hashers.hasOthers { consumers.append { buffer in hashers.updateOthers(buffer) } }
        return UploadFeed(
            consumers: consumers, memoryLimit: Self.memoryLimit, startThreshold: Self.startThreshold,
            execute: execute)
    }

    /// The running digests. Each is updated by one consumer, whose jobs run one at a time; the
    /// locks are uncontended and only make that visible to the compiler.
    private final class Hashers: Sendable {
        private let md5 = Mutex(Insecure.MD5())
        private let others: Mutex<(sha256: SHA256?, checksum: ChecksumHasher?)>
        let hasOthers: Bool

        init(sha256: sending SHA256?, checksum: sending ChecksumHasher?) {
            hasOthers = sha256 != nil || checksum != nil
            others = Mutex((sha256, checksum))
        }

        func updateMD5(_ buffer: ByteBuffer) {
            md5.withLock { md5 in buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) } }
        }

        func updateOthers(_ buffer: ByteBuffer) {
            guard hasOthers else { return }
            others.withLock { others in
                buffer.withUnsafeReadableBytes { bytes in
                    others.sha256?.update(bufferPointer: bytes)
                    others.checksum?.update(bytes)
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
