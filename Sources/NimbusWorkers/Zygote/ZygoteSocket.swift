import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The control channel to a zygote: one end of a unix `SOCK_SEQPACKET` pair, so every message
/// keeps its boundaries and may carry file descriptors (`SCM_RIGHTS`). The zygote gets the other
/// end as its standard input.
enum ZygoteSocket {
    static let maximumMessage = 64 * 1024

    /// (ours, theirs); both close-on-exec (the spawner installs `theirs` as the child's stdin).
    static func pair() -> (Int32, Int32)? {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    /// Sends one message with `fds` attached; false when the zygote is gone.
    static func send(_ message: [UInt8], fds: [Int32], on socket: Int32) -> Bool {
        let header = MemoryLayout<cmsghdr>.size
        let payload = fds.count * MemoryLayout<Int32>.size
        // CMSG_SPACE: the header, then the descriptors padded to the header's alignment.
        let space = header + ((payload + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1))
        var control = [UInt64](repeating: 0, count: (space + 7) / 8)
        var message = message
        return message.withUnsafeMutableBytes { bytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    if !fds.isEmpty {
                        let cmsg = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                        cmsg.pointee.cmsg_len = MemoryLayout<cmsghdr>.size + payload
                        cmsg.pointee.cmsg_level = SOL_SOCKET
                        cmsg.pointee.cmsg_type = Int32(SCM_RIGHTS)
                        for (index, fd) in fds.enumerated() {
                            controlBytes.storeBytes(of: fd, toByteOffset: MemoryLayout<cmsghdr>.size + index * 4, as: Int32.self)
                        }
                        header.msg_control = controlBytes.baseAddress
                        header.msg_controllen = space
                    }
                    while true {
                        let sent = sendmsg(socket, &header, Int32(MSG_NOSIGNAL))
                        if sent < 0 && errno == EINTR { continue }
                        return sent == bytes.count
                    }
                }
            }
        }
    }

    /// Blocks for the next message; nil at end of stream or on error.
    static func receive(on socket: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: maximumMessage)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            return String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }
}
