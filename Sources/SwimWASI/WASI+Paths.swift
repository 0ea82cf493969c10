#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `path_*` functions but `path_open`. Each resolves its path beneath the directory
/// descriptor (see `Sandbox`), then acts on a single component with the `*at` system calls,
/// never following a symlink in that last step.
extension WASI {
    /// The directory descriptor `fd` with `rights`, and the guest string at `path`.
    private func directoryAndPath(_ memory: GuestMemory, _ fd: UInt32, _ rights: WASIRights,
                                  _ path: UInt32, _ length: UInt32) throws(WASIErrno) -> (Int32, String) {
        let d = try directory(fd)
        try d.require(rights)
        return (d.hostFD, try memory.string(path, length))
    }

    /// Whether `name` exists in `dir` (without following it).
    private func exists(_ dir: Int32, _ name: String) -> Bool {
        var st = stat()
        return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Operations on a name refuse `.` and `..` with `error`, once the whole path is known not
    /// to lead outside the sandbox (`..` from the root is an escape: `perm`, as in wasmtime).
    private func rejectDots(_ location: Sandbox.Location, root: Int32, path: String,
                            _ error: WASIErrno) throws(WASIErrno) {
        guard location.isDotOrDotDot else { return }
        let directory = try Sandbox.openDirectory(root, path)
        if directory.owned { closeQuietly(directory.fd) }
        throw error
    }

    /// A new name must be a plain component: `.`, `..` and a trailing slash name nothing new.
    private func checkNewName(_ location: Sandbox.Location, root: Int32, path: String) throws(WASIErrno) {
        try rejectDots(location, root: root, path: path, .exist)
        if location.trailingSlash { throw exists(location.directory, location.name) ? .exist : .noent }
    }

    func pathCreateDirectory(_ memory: GuestMemory, fd: UInt32, path: UInt32, length: UInt32) throws(WASIErrno) {
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathCreateDirectory, path, length)
        let location = try Sandbox.locate(root, guestPath)
        defer { location.release() }
        try rejectDots(location, root: root, path: guestPath, .exist)
        _ = try retrying { mkdirat(location.directory, location.name, 0o777) }
    }

    func pathFilestatGet(_ memory: GuestMemory, fd: UInt32, flags: UInt32, path: UInt32, length: UInt32,
                         pointer: UInt32) throws(WASIErrno) {
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathFilestatGet, path, length)
        let location = try Sandbox.resolve(root, guestPath, follow: flags & LookupFlags.symlinkFollow != 0)
        defer { location.release() }
        var st = stat()
        _ = try retrying { fstatat(location.directory, location.name, &st, AT_SYMLINK_NOFOLLOW) }
        try FileStat.write(st, to: memory, at: pointer)
    }

    func pathFilestatSetTimes(_ memory: GuestMemory, fd: UInt32, flags: UInt32, path: UInt32, length: UInt32,
                              atim: UInt64, mtim: UInt64, fstFlags: UInt32) throws(WASIErrno) {
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathFilestatSetTimes, path, length)
        let times = try FileStat.times(atim: atim, mtim: mtim, flags: UInt16(truncatingIfNeeded: fstFlags))
        let location = try Sandbox.resolve(root, guestPath, follow: flags & LookupFlags.symlinkFollow != 0)
        defer { location.release() }
        _ = try retrying { utimensat(location.directory, location.name, times, AT_SYMLINK_NOFOLLOW) }
    }

    func pathLink(_ memory: GuestMemory, oldFD: UInt32, oldFlags: UInt32, oldPath: UInt32, oldLength: UInt32,
                  newFD: UInt32, newPath: UInt32, newLength: UInt32) throws(WASIErrno) {
        let (oldRoot, oldGuestPath) = try directoryAndPath(memory, oldFD, .pathLinkSource, oldPath, oldLength)
        let (newRoot, newGuestPath) = try directoryAndPath(memory, newFD, .pathLinkTarget, newPath, newLength)
        let source = try Sandbox.resolve(oldRoot, oldGuestPath, follow: oldFlags & LookupFlags.symlinkFollow != 0)
        defer { source.release() }
        let target = try Sandbox.locate(newRoot, newGuestPath)
        defer { target.release() }
        try checkNewName(target, root: newRoot, path: newGuestPath)
        // Directories can't be hard-linked (linkat says EPERM too, but "." would name the parent).
        if source.isDotOrDotDot { throw .perm }
        _ = try retrying { linkat(source.directory, source.name, target.directory, target.name, 0) }
    }

    func pathReadlink(_ memory: GuestMemory, fd: UInt32, path: UInt32, length: UInt32, buffer: UInt32,
                      bufferLength: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathReadlink, path, length)
        let location = try Sandbox.locate(root, guestPath)
        defer { location.release() }
        try rejectDots(location, root: root, path: guestPath, .inval)
        if location.trailingSlash {
            // "link/" names the link's target, which is no symlink (or no directory).
            let resolved = try Sandbox.resolve(root, guestPath, follow: true)
            resolved.release()
            throw .inval
        }
        var contents = [UInt8](repeating: 0, count: 4096)
        let n = contents.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            return readlinkat(location.directory, location.name, base.assumingMemoryBound(to: CChar.self), raw.count)
        }
        if n < 0 { throw WASIErrno.last }
        let count = min(n, Int(bufferLength))
        try memory.write(contents[0..<count], at: buffer)
        try memory.store32(resultPointer, UInt32(count))
    }

    func pathRemoveDirectory(_ memory: GuestMemory, fd: UInt32, path: UInt32, length: UInt32) throws(WASIErrno) {
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathRemoveDirectory, path, length)
        let location = try Sandbox.locate(root, guestPath)
        defer { location.release() }
        try rejectDots(location, root: root, path: guestPath, .inval)
        _ = try retrying { unlinkat(location.directory, location.name, AT_REMOVEDIR) }
    }

    func pathRename(_ memory: GuestMemory, oldFD: UInt32, oldPath: UInt32, oldLength: UInt32,
                    newFD: UInt32, newPath: UInt32, newLength: UInt32) throws(WASIErrno) {
        let (oldRoot, oldGuestPath) = try directoryAndPath(memory, oldFD, .pathRenameSource, oldPath, oldLength)
        let (newRoot, newGuestPath) = try directoryAndPath(memory, newFD, .pathRenameTarget, newPath, newLength)
        let source = try Sandbox.locate(oldRoot, oldGuestPath)
        defer { source.release() }
        let target = try Sandbox.locate(newRoot, newGuestPath)
        defer { target.release() }
        try rejectDots(source, root: oldRoot, path: oldGuestPath, .busy)
        try rejectDots(target, root: newRoot, path: newGuestPath, .busy)
        if source.trailingSlash || target.trailingSlash {
            // A trailing slash on either side says the source is a directory.
            var st = stat()
            _ = try retrying { fstatat(source.directory, source.name, &st, AT_SYMLINK_NOFOLLOW) }
            if st.st_mode & S_IFMT != S_IFDIR { throw .notdir }
        }
        _ = try retrying { renameat(source.directory, source.name, target.directory, target.name) }
    }

    /// Relative contents are stored as given: a link whose `..` lead outside the sandbox can be
    /// made but never followed. Absolute contents are refused (`perm`), empty ones are `noent`,
    /// as in wasmtime.
    func pathSymlink(_ memory: GuestMemory, oldPath: UInt32, oldLength: UInt32, fd: UInt32, newPath: UInt32,
                     newLength: UInt32) throws(WASIErrno) {
        let contents = try memory.string(oldPath, oldLength)
        if contents.isEmpty { throw .noent }
        if contents.utf8.first == UInt8(ascii: "/") { throw .perm }
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathSymlink, newPath, newLength)
        let location = try Sandbox.locate(root, guestPath)
        defer { location.release() }
        try checkNewName(location, root: root, path: guestPath)
        _ = try retrying { symlinkat(contents, location.directory, location.name) }
    }

    func pathUnlinkFile(_ memory: GuestMemory, fd: UInt32, path: UInt32, length: UInt32) throws(WASIErrno) {
        let (root, guestPath) = try directoryAndPath(memory, fd, .pathUnlinkFile, path, length)
        let location = try Sandbox.locate(root, guestPath)
        defer { location.release() }
        try rejectDots(location, root: root, path: guestPath, .isdir)
        if location.trailingSlash {
            var st = stat()
            _ = try retrying { fstatat(location.directory, location.name, &st, AT_SYMLINK_NOFOLLOW) }
            throw st.st_mode & S_IFMT == S_IFDIR ? .isdir : .notdir
        }
        _ = try retrying { unlinkat(location.directory, location.name, 0) }
    }
}
