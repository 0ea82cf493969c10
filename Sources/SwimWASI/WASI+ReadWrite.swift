#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reading, writing and seeking. Data moves straight between the host descriptor and guest
/// memory (`readv`/`writev` on iovecs pointing into it), with no intermediate copy.
extension WASI {
    private func readable(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try descriptors.get(fd)
        switch d.kind {
        case .file, .stdin, .socket: break
        case .stdout, .stderr, .directory: throw .badf
        }
        try d.require(.fdRead)
        return d
    }

    private func writable(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try descriptors.get(fd)
        switch d.kind {
        case .file, .stdout, .stderr, .socket: break
        case .stdin, .directory: throw .badf
        }
        try d.require(.fdWrite)
        return d
    }

    /// A descriptor with a file position: stdio and sockets have none (`spipe`).
    private func seekable(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try descriptors.get(fd)
        switch d.kind {
        case .file: return d
        case .stdin, .stdout, .stderr, .socket: throw .spipe
        case .directory: throw .badf
        }
    }

    /// Moves data between `d` and the guest's iovecs at `iovs` with `call` (`readv` and kin,
    /// given the host descriptor and the host iovecs), and stores the byte count.
    private func transfer(_ memory: GuestMemory, _ d: Descriptor, iovs: UInt32, count: UInt32, resultPointer: UInt32,
                          _ call: (Int32, UnsafePointer<iovec>?, Int32) -> Int) throws(WASIErrno) {
        let vectors = try memory.iovecs(iovs, count)
        let n = try vectors.withUnsafeBufferPointer { v throws(WASIErrno) in
            try retrying { call(d.hostFD, v.baseAddress, Int32(v.count)) }
        }
        try memory.store32(resultPointer, UInt32(truncatingIfNeeded: n))
    }

    func fdRead(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, count: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        try transfer(memory, try readable(fd), iovs: iovs, count: count, resultPointer: resultPointer) { readv($0, $1, $2) }
    }

    func fdPread(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, count: UInt32, offset: UInt64,
                 resultPointer: UInt32) throws(WASIErrno) {
        let d = try seekable(fd)
        try d.require([.fdRead, .fdSeek])
        let position = try hostOffset(offset)
        try transfer(memory, d, iovs: iovs, count: count, resultPointer: resultPointer) { preadv($0, $1, $2, position) }
    }

    func fdWrite(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, count: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        try transfer(memory, try writable(fd), iovs: iovs, count: count, resultPointer: resultPointer) { writev($0, $1, $2) }
    }

    /// On a descriptor opened with `append`, Linux writes at the end whatever the offset.
    func fdPwrite(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, count: UInt32, offset: UInt64,
                  resultPointer: UInt32) throws(WASIErrno) {
        let d = try seekable(fd)
        try d.require([.fdWrite, .fdSeek])
        let position = try hostOffset(offset)
        try transfer(memory, d, iovs: iovs, count: count, resultPointer: resultPointer) { pwritev($0, $1, $2, position) }
    }

    func fdSeek(_ memory: GuestMemory, fd: UInt32, offset: UInt64, whence: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        let d = try seekable(fd)
        let delta = Int64(bitPattern: offset)
        // Asking for the position only needs the right to tell it.
        try d.require(whence == 1 && delta == 0 ? .fdTell : .fdSeek)
        let hostWhence: Int32
        switch whence {
        case 0: hostWhence = SEEK_SET
        case 1: hostWhence = SEEK_CUR
        case 2: hostWhence = SEEK_END
        default: throw .inval
        }
        let position = try retrying { lseek(d.hostFD, off_t(delta), hostWhence) }
        try memory.store64(resultPointer, UInt64(position))
    }

    /// `fd_tell` is `fd_seek(fd, 0, cur)`, which needs only the right to tell.
    func fdTell(_ memory: GuestMemory, fd: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        try fdSeek(memory, fd: fd, offset: 0, whence: 1, resultPointer: resultPointer)
    }
}
