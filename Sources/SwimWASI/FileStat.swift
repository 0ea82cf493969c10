#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Host `stat` results and times in their WASI forms.
enum FileStat {
    /// The WASI filetype of a host file mode. FIFOs have no WASI type: `unknown`, as in wasmtime.
    static func fileType(mode: mode_t) -> FileType {
        switch mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFSOCK: return .socketStream
        default: return .unknown
        }
    }

    /// The filetype of a host socket: stream or datagram.
    static func socketType(_ fd: Int32) -> FileType {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == Int32(SOCK_DGRAM.rawValue) {
            return .socketDgram
        }
        return .socketStream
    }

    static func fstat(_ fd: Int32) throws(WASIErrno) -> stat {
        var st = stat()
        _ = try retrying { Glibc.fstat(fd, &st) }
        return st
    }

    /// Writes a witx `filestat` (64 bytes) for `st` at `pointer`.
    static func write(_ st: stat, type: FileType? = nil, to memory: GuestMemory, at pointer: UInt32) throws(WASIErrno) {
        _ = try memory.pointer(pointer, Layout.filestatSize)
        try memory.store64(pointer, UInt64(st.st_dev))
        try memory.store64(pointer &+ 8, UInt64(st.st_ino))
        try memory.store64(pointer &+ 16, UInt64((type ?? fileType(mode: st.st_mode)).rawValue))
        try memory.store64(pointer &+ 24, UInt64(st.st_nlink))
        try memory.store64(pointer &+ 32, UInt64(bitPattern: Int64(st.st_size)))
        try memory.store64(pointer &+ 40, try nanoseconds(st.st_atim))
        try memory.store64(pointer &+ 48, try nanoseconds(st.st_mtim))
        try memory.store64(pointer &+ 56, try nanoseconds(st.st_ctim))
    }

    /// The filestat of a standard stream: all zeros but its type, as wasmtime reports it.
    static func writeStdio(type: FileType, to memory: GuestMemory, at pointer: UInt32) throws(WASIErrno) {
        _ = try memory.pointer(pointer, Layout.filestatSize)
        for offset in stride(from: UInt32(0), to: 64, by: 8) { try memory.store64(pointer &+ offset, 0) }
        try memory.store8(pointer &+ 16, type.rawValue)
    }

    /// The `utimensat` times for a WASI `(atim, mtim, fst_flags)`: setting a time both to a
    /// value and to now is `inval`.
    static func times(atim: UInt64, mtim: UInt64, flags: UInt16) throws(WASIErrno) -> [timespec] {
        func one(_ value: UInt64, set: UInt16, now: UInt16) throws(WASIErrno) -> timespec {
            let setValue = flags & set != 0, setNow = flags & now != 0
            if setValue && setNow { throw .inval }
            if setNow { return timespec(tv_sec: 0, tv_nsec: Linux.UTIME_NOW) }
            if setValue {
                return timespec(tv_sec: Int(value / 1_000_000_000), tv_nsec: Int(value % 1_000_000_000))
            }
            return timespec(tv_sec: 0, tv_nsec: Linux.UTIME_OMIT)
        }
        if flags & ~UInt16(15) != 0 { throw .inval }
        return [try one(atim, set: FSTFlags.atim, now: FSTFlags.atimNow),
                try one(mtim, set: FSTFlags.mtim, now: FSTFlags.mtimNow)]
    }
}

/// A guest file offset or size as a host `off_t`; values past `Int64.max` are `inval`.
func hostOffset(_ value: UInt64) throws(WASIErrno) -> off_t {
    guard value <= UInt64(Int64.max) else { throw .inval }
    return off_t(value)
}
