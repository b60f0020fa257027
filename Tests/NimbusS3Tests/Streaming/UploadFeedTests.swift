import Foundation
import NIOCore
import Synchronization
import Testing

@testable import NimbusS3

@Suite struct UploadFeedTests {
    /// Records what a consumer saw; optionally slow, gated or failing at a given buffer.
    final class Recorder: Sendable {
        private let state = Mutex<(bytes: [UInt8], buffers: Int)>(([], 0))
        private let gate: Gate?
        private let delayMicroseconds: UInt32
        private let failAt: Int?

        init(gate: Gate? = nil, delayMicroseconds: UInt32 = 0, failAt: Int? = nil) {
            self.gate = gate
            self.delayMicroseconds = delayMicroseconds
            self.failAt = failAt
        }

        var bytes: [UInt8] { state.withLock { $0.bytes } }
        var buffers: Int { state.withLock { $0.buffers } }

        func consume(_ buffer: ByteBuffer) throws {
            gate?.wait()
            if delayMicroseconds > 0 { usleep(delayMicroseconds) }
            try state.withLock { state in
                if state.buffers == failAt { throw Failure() }
                state.bytes += buffer.readableBytesView
                state.buffers += 1
            }
        }
    }

    struct Failure: Error {}

    /// Blocks consumers until opened.
    final class Gate: Sendable {
        private let condition = NSCondition()
        private let opened = Mutex(false)
        private let waiting = Mutex(0)

        /// Consumers that have reached the gate.
        var arrivals: Int { waiting.withLock { $0 } }

        func wait() {
            waiting.withLock { $0 += 1 }
            condition.lock()
            while !opened.withLock({ $0 }) { condition.wait() }
            condition.unlock()
        }

        func open() {
            condition.lock()
            opened.withLock { $0 = true }
            condition.broadcast()
            condition.unlock()
        }
    }

    static func feed(_ recorders: [Recorder], memoryLimit: Int = 1 << 20, startThreshold: Int = 1) -> UploadFeed {
        UploadFeed(
            consumers: recorders.map { recorder in { try recorder.consume($0) } }, memoryLimit: memoryLimit,
            startThreshold: startThreshold, execute: BlockingIO.execute)
    }

    static func randomBuffers(count: Int, maximumSize: Int) -> ([ByteBuffer], [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        var all: [UInt8] = []
        let buffers = (0..<count).map { _ in
            let bytes = (0..<Int.random(in: 1...maximumSize, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            all += bytes
            return ByteBuffer(bytes: bytes)
        }
        return (buffers, all)
    }

    @Test(arguments: [1, 4096, 1 << 20])
    func everyConsumerSeesEveryByteInOrder(startThreshold: Int) async throws {
        let recorders = [Recorder(), Recorder(delayMicroseconds: 200), Recorder(delayMicroseconds: 50)]
        let feed = Self.feed(recorders, memoryLimit: 64 << 10, startThreshold: startThreshold)
        let (buffers, all) = Self.randomBuffers(count: 300, maximumSize: 3000)
        for buffer in buffers { try await feed.append(buffer) }
        try await feed.finish()
        for recorder in recorders {
            #expect(recorder.bytes == all)
            #expect(recorder.buffers == buffers.count)
        }
        #expect(feed.heldBytes == 0)
    }

    @Test func nothingAppendedFinishesAtOnce() async throws {
        let recorder = Recorder()
        let feed = Self.feed([recorder])
        try await feed.finish()
        #expect(recorder.buffers == 0)
    }

    /// A stalled consumer holds the receiver back once the limit is passed: the bytes held never
    /// exceed the limit by more than the last buffer.
    @Test func receiverWaitsAtTheMemoryLimit() async throws {
        let gate = Gate()
        let recorders = [Recorder(), Recorder(gate: gate)]
        let limit = 64 << 10
        let feed = Self.feed(recorders, memoryLimit: limit)
        let appended = Mutex(0)
        let receiver = Task {
            for _ in 0..<40 {
                try await feed.append(ByteBuffer(repeating: 7, count: 4096))
                appended.withLock { $0 += 1 }
                #expect(feed.heldBytes <= limit + 4096)
            }
        }
        // The 17th buffer takes the bytes held past the limit: its append waits.
        for _ in 0..<2000 where appended.withLock({ $0 }) < 16 { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(appended.withLock { $0 } == 16)
        #expect(feed.heldBytes > limit)
        #expect(feed.heldBytes <= limit + 4096)
        gate.open()
        try await receiver.value
        try await feed.finish()
        #expect(recorders.allSatisfy { $0.bytes.count == 40 * 4096 })
        #expect(feed.heldBytes == 0)
    }

    @Test func aFailingConsumerFailsTheUpload() async throws {
        let recorders = [Recorder(), Recorder(failAt: 3), Recorder()]
        let feed = Self.feed(recorders, memoryLimit: 16 << 10)
        // The receiver learns of the failure at its next append or at the end.
        do {
            for _ in 0..<200 { try await feed.append(ByteBuffer(repeating: 1, count: 1024)) }
        } catch is Failure {}
        await #expect(throws: Failure.self) { try await feed.finish() }
        #expect(recorders[1].buffers == 3)
    }

    /// `abandon` returns only when no consumer is running any more (the writer can then be
    /// discarded), and later appends are refused.
    @Test func abandonWaitsForRunningConsumers() async throws {
        let gate = Gate()
        let recorder = Recorder(gate: gate)
        let feed = Self.feed([recorder])
        try await feed.append(ByteBuffer(repeating: 1, count: 100))
        try await feed.append(ByteBuffer(repeating: 2, count: 100))
        for _ in 0..<5000 where gate.arrivals == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let abandoned = Mutex(false)
        let abandoning = Task {
            await feed.abandon()
            abandoned.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!abandoned.withLock { $0 })
        gate.open()
        await abandoning.value
        // The consumer finished the buffer it held, then stopped.
        #expect(recorder.buffers == 1)
        await #expect(throws: UploadFeed.Abandoned.self) { try await feed.append(ByteBuffer(repeating: 3, count: 1)) }
    }
}
