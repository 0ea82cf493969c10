#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One entry of a directory listing.
struct DirectoryEntry {
    var name: [UInt8]
    var inode: UInt64
    var type: FileType
}

/// `fd_readdir`, as wasmtime serves it: the listing starts with `.` and `..` (cookies 1 and 2),
/// then the host's entries in the host's order; an entry's `d_next` is its position + 1, and a
/// cookie is the number of entries to skip. The buffer is filled with whole dirents and names
/// while they fit, and the last one is cut off at the end of the buffer (the caller sees a full
/// buffer and retries with a larger one or from the last complete cookie).
extension WASI {
    func fdReaddir(_ memory: GuestMemory, fd: UInt32, buffer: UInt32, length: UInt32, cookie: UInt64,
                   resultPointer: UInt32) throws(WASIErrno) {
        let d = try directory(fd)
        try d.require(.fdReaddir)
        // A new listing (cookie 0) reads the directory again; later cookies continue the snapshot.
        if cookie == 0 || d.listing == nil {
            d.listing = try readDirectory(d.hostFD)
        }
        let listing = d.listing ?? []
        let selfInode = UInt64(try FileStat.fstat(d.hostFD).st_ino)
        let head = [DirectoryEntry(name: [UInt8(ascii: ".")], inode: selfInode, type: .directory),
                    DirectoryEntry(name: [UInt8(ascii: "."), UInt8(ascii: ".")], inode: selfInode, type: .directory)]
        let output = try memory.buffer(buffer, length)
        var used = 0
        var index = UInt64(0)
        func put(_ bytes: UnsafeRawBufferPointer) -> Bool {
            let n = min(bytes.count, output.count - used)
            if n > 0, let target = output.baseAddress, let source = bytes.baseAddress {
                (target + used).copyMemory(from: source, byteCount: n)
            }
            used += n
            return used < output.count
        }
        entries: for entry in [head, listing].joined() {
            index += 1
            if index <= cookie { continue }
            var header = [UInt8](repeating: 0, count: Layout.direntSize)
            header.withUnsafeMutableBytes { h in
                h.storeBytes(of: index.littleEndian, toByteOffset: 0, as: UInt64.self)
                h.storeBytes(of: entry.inode.littleEndian, toByteOffset: 8, as: UInt64.self)
                h.storeBytes(of: UInt32(entry.name.count).littleEndian, toByteOffset: 16, as: UInt32.self)
                h.storeBytes(of: entry.type.rawValue, toByteOffset: 20, as: UInt8.self)
            }
            guard header.withUnsafeBytes({ put($0) }) else { break entries }
            guard entry.name.withUnsafeBytes({ put($0) }) else { break entries }
        }
        try memory.store32(resultPointer, UInt32(used))
    }

    /// Every entry of the directory open at `fd` but `.` and `..`, in the host's order.
    func readDirectory(_ fd: Int32) throws(WASIErrno) -> [DirectoryEntry] {
        // A duplicate for the DIR stream, which closes it; it shares `fd`'s offset, so rewind.
        let copy = try retrying { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(copy) else {
            let error = WASIErrno.last
            closeQuietly(copy)
            throw error
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var entries: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let record = readdir(stream) else {
                if errno != 0 { throw WASIErrno.last }
                return entries
            }
            let name = withUnsafeBytes(of: record.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            let type = entryType(record.pointee.d_type, directory: fd, name: name)
            entries.append(DirectoryEntry(name: name, inode: UInt64(record.pointee.d_ino), type: type))
        }
    }

    private func entryType(_ dType: UInt8, directory fd: Int32, name: [UInt8]) -> FileType {
        switch Int(dType) {
        case Int(DT_REG): return .regularFile
        case Int(DT_DIR): return .directory
        case Int(DT_LNK): return .symbolicLink
        case Int(DT_CHR): return .characterDevice
        case Int(DT_BLK): return .blockDevice
        case Int(DT_SOCK): return .socketStream
        case Int(DT_FIFO): return .unknown
        default:
            // DT_UNKNOWN: some file systems don't say; ask.
            var st = stat()
            let found = (name + [0]).withUnsafeBufferPointer { p in
                p.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: p.count) { fstatat(fd, $0, &st, AT_SYMLINK_NOFOLLOW) } } ?? -1
            }
            return found == 0 ? FileStat.fileType(mode: st.st_mode) : .unknown
        }
    }
}
