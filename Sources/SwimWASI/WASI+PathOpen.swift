#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension WASI {
    /// `path_open`. The new descriptor's rights are those asked for, within what the directory
    /// lets its children have; they also decide the host access mode (read, write or both).
    func pathOpen(_ memory: GuestMemory, fd: UInt32, lookupFlags: UInt32, path: UInt32, length: UInt32,
                  oflags rawOFlags: UInt32, rightsBase: UInt64, rightsInheriting: UInt64, fdflags rawFDFlags: UInt32,
                  resultPointer: UInt32) throws(WASIErrno) {
        let parent = try descriptors.get(fd)
        switch parent.kind {
        case .directory: break
        case .file: throw .notdir
        default: throw .badf
        }
        guard rawOFlags & ~UInt32(OFlags.all) == 0, rawFDFlags & ~UInt32(FDFlags.all) == 0 else { throw .inval }
        let oflags = UInt16(rawOFlags), fdflags = UInt16(rawFDFlags)
        try parent.require(oflags & OFlags.creat != 0 ? [.pathOpen, .pathCreateFile] : .pathOpen)
        if oflags & OFlags.directory != 0 && oflags & (OFlags.creat | OFlags.excl | OFlags.trunc) != 0 {
            throw .inval
        }
        let guestPath = try memory.string(path, length)
        // Checked before opening: a bad pointer must not create files. Guest memory cannot
        // shrink, so the store at the end cannot fail.
        let result = try memory.pointer(resultPointer, 4)
        var base = WASIRights(rawValue: rightsBase).intersection(parent.rightsInheriting)
        let inheriting = WASIRights(rawValue: rightsInheriting).intersection(parent.rightsInheriting)

        let writes = !base.isDisjoint(with: [.fdWrite, .fdAllocate, .fdFilestatSetSize])
        let reads = !base.isDisjoint(with: [.fdRead, .fdReaddir])
        var flags: Int32 = O_NOCTTY
        if oflags & OFlags.directory != 0 {
            flags |= O_RDONLY | O_DIRECTORY
        } else if writes {
            flags |= reads ? O_RDWR : O_WRONLY
        } else {
            flags |= O_RDONLY
        }
        if lookupFlags & LookupFlags.symlinkFollow == 0 { flags |= O_NOFOLLOW }
        if oflags & OFlags.creat != 0 { flags |= O_CREAT }
        if oflags & OFlags.excl != 0 { flags |= O_EXCL }
        if oflags & OFlags.trunc != 0 { flags |= O_TRUNC }
        if fdflags & FDFlags.append != 0 { flags |= O_APPEND }
        if fdflags & FDFlags.dsync != 0 { flags |= O_DSYNC }
        if fdflags & FDFlags.sync != 0 { flags |= O_SYNC }
        if fdflags & FDFlags.rsync != 0 { flags |= O_RSYNC }
        if fdflags & FDFlags.nonblock != 0 { flags |= O_NONBLOCK }

        let hostFD = try Sandbox.open(parent.hostFD, guestPath, flags: flags, mode: 0o666)
        let kind: Descriptor.Kind
        do {
            kind = FileStat.fileType(mode: try FileStat.fstat(hostFD).st_mode) == .directory ? .directory : .file
        } catch {
            closeQuietly(hostFD)
            throw error
        }
        // A directory opens for reading only (wasi-libc's opendir), as POSIX open and wasmtime do.
        if kind == .directory && (writes || oflags & OFlags.trunc != 0) {
            closeQuietly(hostFD)
            throw .isdir
        }
        if kind == .directory { base.subtract(.notForDirectories) }
        let descriptor = Descriptor(hostFD: hostFD, kind: kind, rightsBase: base, rightsInheriting: inheriting)
        let newFD: UInt32
        do {
            newFD = try descriptors.insert(descriptor)
        } catch {
            descriptor.closeHost()
            throw error
        }
        result.storeBytes(of: newFD.littleEndian, as: UInt32.self)
    }
}
