#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The socket functions, on sockets the embedder hands over (`WASIConfiguration.listeningSockets`)
/// and the connections accepted from them. Preview 1 cannot create sockets.
extension WASI {
    private func socket(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try descriptors.get(fd)
        guard d.kind == .socket else { throw .notsock }
        return d
    }

    func sockAccept(_ memory: GuestMemory, fd: UInt32, flags: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        let listener = try socket(fd)
        try listener.require(.sockAccept)
        guard flags & ~UInt32(FDFlags.nonblock) == 0 else { throw .inval }
        _ = try memory.pointer(resultPointer, 4)
        let connection = try retrying { Linux.acceptConnection(listener.hostFD, nonblocking: flags != 0) }
        let descriptor = Descriptor(hostFD: connection, kind: .socket,
                                    rightsBase: listener.rightsInheriting, rightsInheriting: listener.rightsInheriting)
        do {
            try memory.store32(resultPointer, try descriptors.insert(descriptor))
        } catch {
            descriptor.closeHost()
            throw error
        }
    }

    func sockRecv(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, count: UInt32, flags: UInt32,
                  resultPointer: UInt32, flagsPointer: UInt32) throws(WASIErrno) {
        let d = try socket(fd)
        try d.require(.fdRead)
        guard flags & ~UInt32(SocketFlags.recvPeek | SocketFlags.recvWaitall) == 0 else { throw .inval }
        var hostFlags: Int32 = 0
        if flags & UInt32(SocketFlags.recvPeek) != 0 { hostFlags |= Int32(MSG_PEEK) }
        if flags & UInt32(SocketFlags.recvWaitall) != 0 { hostFlags |= Int32(MSG_WAITALL) }
        var vectors = try memory.iovecs(iovs, count)
        _ = try memory.pointer(resultPointer, 4)
        _ = try memory.pointer(flagsPointer, 2)
        var message = msghdr()
        let n = try vectors.withUnsafeMutableBufferPointer { v throws(WASIErrno) in
            message.msg_iov = v.baseAddress
            message.msg_iovlen = v.count
            return try retrying { recvmsg(d.hostFD, &message, hostFlags) }
        }
        try memory.store32(resultPointer, UInt32(truncatingIfNeeded: n))
        try memory.store16(flagsPointer, message.msg_flags & Linux.MSG_TRUNC != 0 ? SocketFlags.recvDataTruncated : 0)
    }

    func sockSend(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, count: UInt32, flags: UInt32,
                  resultPointer: UInt32) throws(WASIErrno) {
        let d = try socket(fd)
        try d.require(.fdWrite)
        guard flags == 0 else { throw .inval }
        var vectors = try memory.iovecs(iovs, count)
        _ = try memory.pointer(resultPointer, 4)
        var message = msghdr()
        let n = try vectors.withUnsafeMutableBufferPointer { v throws(WASIErrno) in
            message.msg_iov = v.baseAddress
            message.msg_iovlen = v.count
            // MSG_NOSIGNAL: a closed peer is EPIPE for the guest, not SIGPIPE for the host.
            return try retrying { sendmsg(d.hostFD, &message, Int32(MSG_NOSIGNAL)) }
        }
        try memory.store32(resultPointer, UInt32(truncatingIfNeeded: n))
    }

    func sockShutdown(fd: UInt32, how: UInt32) throws(WASIErrno) {
        let d = try socket(fd)
        try d.require(.sockShutdown)
        let hostHow: Int32
        switch UInt8(truncatingIfNeeded: how) {
        case SocketFlags.shutRead where how <= 0xFF: hostHow = Int32(SHUT_RD)
        case SocketFlags.shutWrite where how <= 0xFF: hostHow = Int32(SHUT_WR)
        case SocketFlags.shutRead | SocketFlags.shutWrite where how <= 0xFF: hostHow = Int32(SHUT_RDWR)
        default: throw .inval
        }
        _ = try retrying { shutdown(d.hostFD, hostHow) }
    }
}
