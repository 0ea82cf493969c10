#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The descriptor-level functions: closing, renumbering, flags, rights, stat, sync, space.
extension WASI {
    /// The descriptor `fd` if it is a regular file (or other non-directory opened by path_open).
    func file(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try descriptors.get(fd)
        guard d.kind == .file else { throw .badf }
        return d
    }

    func directory(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try descriptors.get(fd)
        guard d.kind == .directory else { throw .badf }
        return d
    }

    func fdClose(fd: UInt32) throws(WASIErrno) {
        try descriptors.remove(fd).closeHost()
    }

    func fdRenumber(from: UInt32, to: UInt32) throws(WASIErrno) {
        try descriptors.renumber(from: from, to: to)
    }

    func fdFdstatGet(_ memory: GuestMemory, fd: UInt32, pointer: UInt32) throws(WASIErrno) {
        let d = try descriptors.get(fd)
        let type: FileType
        var flags: UInt16 = 0
        switch d.kind {
        case .stdin, .stdout, .stderr:
            type = d.isTerminal ? .characterDevice : .unknown
        case .directory:
            type = .directory
        case .file, .socket:
            type = d.kind == .socket ? FileStat.socketType(d.hostFD) : FileStat.fileType(mode: try FileStat.fstat(d.hostFD).st_mode)
            let hostFlags = fcntl(d.hostFD, F_GETFL)
            if hostFlags < 0 { throw WASIErrno.last }
            if hostFlags & O_APPEND != 0 { flags |= FDFlags.append }
            if hostFlags & O_DSYNC != 0 { flags |= FDFlags.dsync }
            if hostFlags & O_SYNC == O_SYNC { flags |= FDFlags.sync }
            if hostFlags & O_NONBLOCK != 0 { flags |= FDFlags.nonblock }
        }
        _ = try memory.pointer(pointer, Layout.fdstatSize)
        try memory.store8(pointer, type.rawValue)
        try memory.store8(pointer &+ 1, 0)
        try memory.store16(pointer &+ 2, flags)
        try memory.store32(pointer &+ 4, 0)
        try memory.store64(pointer &+ 8, d.rightsBase.rawValue)
        try memory.store64(pointer &+ 16, d.rightsInheriting.rawValue)
    }

    /// Only `append` and `nonblock` can change (wasmtime refuses the sync flags with `inval`).
    func fdFdstatSetFlags(fd: UInt32, flags: UInt16) throws(WASIErrno) {
        let d = try descriptors.get(fd)
        guard d.kind == .file || d.kind == .socket else { throw .badf }
        try d.require(.fdFdstatSetFlags)
        if flags & ~FDFlags.all != 0 || flags & (FDFlags.dsync | FDFlags.rsync | FDFlags.sync) != 0 { throw .inval }
        let current = fcntl(d.hostFD, F_GETFL)
        if current < 0 { throw WASIErrno.last }
        var updated = current & ~(O_APPEND | O_NONBLOCK)
        if flags & FDFlags.append != 0 { updated |= O_APPEND }
        if flags & FDFlags.nonblock != 0 { updated |= O_NONBLOCK }
        _ = try retrying { fcntl(d.hostFD, F_SETFL, updated) }
    }

    /// Rights can only be dropped, never gained.
    func fdFdstatSetRights(fd: UInt32, base: UInt64, inheriting: UInt64) throws(WASIErrno) {
        let d = try descriptors.get(fd)
        let newBase = WASIRights(rawValue: base), newInheriting = WASIRights(rawValue: inheriting)
        guard d.rightsBase.isSuperset(of: newBase), d.rightsInheriting.isSuperset(of: newInheriting) else {
            throw .notcapable
        }
        d.rightsBase = newBase
        d.rightsInheriting = newInheriting
    }

    func fdPrestatGet(_ memory: GuestMemory, fd: UInt32, pointer: UInt32) throws(WASIErrno) {
        guard let name = try descriptors.get(fd).preopenPath else { throw .badf }
        guard name.utf8.count <= UInt32.max else { throw .overflow }
        _ = try memory.pointer(pointer, Layout.prestatSize)
        try memory.store32(pointer, 0)  // tag: dir
        try memory.store32(pointer &+ 4, UInt32(name.utf8.count))
    }

    func fdPrestatDirName(_ memory: GuestMemory, fd: UInt32, path: UInt32, length: UInt32) throws(WASIErrno) {
        guard let name = try descriptors.get(fd).preopenPath else { throw .notdir }
        if name.utf8.count > Int(length) { throw .nametoolong }
        try memory.write(name.utf8, at: path)
    }

    func fdAdvise(fd: UInt32, offset: UInt64, length: UInt64, advice: UInt32) throws(WASIErrno) {
        let d = try file(fd)
        try d.require(.fdAdvise)
        let hostAdvice: Int32
        switch advice {
        case 0: hostAdvice = POSIX_FADV_NORMAL
        case 1: hostAdvice = POSIX_FADV_SEQUENTIAL
        case 2: hostAdvice = POSIX_FADV_RANDOM
        case 3: hostAdvice = POSIX_FADV_WILLNEED
        case 4: hostAdvice = POSIX_FADV_DONTNEED
        case 5: hostAdvice = POSIX_FADV_NOREUSE
        default: throw .inval
        }
        let result = posix_fadvise(d.hostFD, try hostOffset(offset), try hostOffset(length), hostAdvice)
        if result != 0 { throw WASIErrno(hostErrno: result) }
    }

    func fdAllocate(fd: UInt32, offset: UInt64, length: UInt64) throws(WASIErrno) {
        let d = try file(fd)
        try d.require(.fdAllocate)
        let start = try hostOffset(offset), count = try hostOffset(length)
        if start > off_t.max - count { throw .fbig }
        while true {
            let result = posix_fallocate(d.hostFD, start, count)
            if result == EINTR { continue }
            if result != 0 { throw WASIErrno(hostErrno: result) }
            return
        }
    }

    func fdDatasync(fd: UInt32) throws(WASIErrno) {
        let d = try file(fd)
        try d.require(.fdDatasync)
        _ = try retrying { fdatasync(d.hostFD) }
    }

    func fdSync(fd: UInt32) throws(WASIErrno) {
        let d = try file(fd)
        try d.require(.fdSync)
        _ = try retrying { fsync(d.hostFD) }
    }

    func fdFilestatGet(_ memory: GuestMemory, fd: UInt32, pointer: UInt32) throws(WASIErrno) {
        let d = try descriptors.get(fd)
        if d.isStdio {
            try FileStat.writeStdio(type: d.isTerminal ? .characterDevice : .unknown, to: memory, at: pointer)
            return
        }
        try d.require(.fdFilestatGet)
        let st = try FileStat.fstat(d.hostFD)
        try FileStat.write(st, type: d.kind == .socket ? FileStat.socketType(d.hostFD) : nil, to: memory, at: pointer)
    }

    func fdFilestatSetSize(fd: UInt32, size: UInt64) throws(WASIErrno) {
        let d = try file(fd)
        try d.require(.fdFilestatSetSize)
        let length = try hostOffset(size)
        _ = try retrying { ftruncate(d.hostFD, length) }
    }

    func fdFilestatSetTimes(fd: UInt32, atim: UInt64, mtim: UInt64, flags: UInt32) throws(WASIErrno) {
        let d = try descriptors.get(fd)
        guard d.kind == .file || d.kind == .directory else { throw .badf }
        try d.require(.fdFilestatSetTimes)
        let times = try FileStat.times(atim: atim, mtim: mtim, flags: UInt16(truncatingIfNeeded: flags))
        _ = try retrying { futimens(d.hostFD, times) }
    }
}
