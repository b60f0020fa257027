import NIOCore
import NIOPosix

/// Starts `nimbus` with Swift concurrency's tasks running on NIO's event loops, so a request
/// moves between its socket, its handler and a worker's Runtime API without hopping threads.
/// Blocking disk work never runs there: S3 and DynamoDB hand it to their own threads.
@main
enum Entry {
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await NimbusCommand.main()
    }
}
