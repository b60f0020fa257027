#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Starts `nimbus` with Swift concurrency's tasks running on NIO's event loops, so a request
/// moves between its socket, its handler and a worker's Runtime API without hopping threads.
/// Blocking disk work never runs there: S3 and DynamoDB hand it to their own threads.
@main
enum Entry {
    static func main() async {
        keepLargeAllocationsOutOfTheHeap()
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await NimbusCommand.main()
    }

    /// glibc raises its mmap threshold to the size of every large block freed (up to 32 MiB), so
    /// after the S3 journal's 16 MiB start-up read and a few large uploads, megabyte buffers stay
    /// in the heap for good: RSS went from 47 to ~100 MB after six 64 MiB PUTs. A fixed 2 MiB
    /// threshold keeps upload read buffers (≤ 1 MiB) in the heap and gives larger blocks back at
    /// once (49–55 MB after the same PUTs, at the same speed).
    /// `mallopt` is looked up at run time: Swift's Glibc module does not export `<malloc.h>`, and
    /// other C libraries (musl) have no such knob.
    private static func keepLargeAllocationsOutOfTheHeap() {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(mmapThreshold, 2 << 20)
        #endif
    }
}
