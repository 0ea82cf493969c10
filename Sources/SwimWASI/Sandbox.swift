#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Resolution of guest paths beneath a directory descriptor: the capability model of WASI.
/// No path leaves its directory, whether through `..`, an absolute path or a symlink
/// (absolute or relative); such attempts fail with `perm`, as in wasmtime (cap-std).
///
/// The kernel does the work where it can: `openat2` with `RESOLVE_BENEATH` resolves every
/// component and refuses escapes atomically. Without it (Linux < 5.6, or seccomp), a walk opens
/// one component at a time with `O_NOFOLLOW`, expanding symlinks itself and keeping the stack
/// of directories it went through, so `..` can never climb above the starting directory.
enum Sandbox {
    /// Symlinks followed in one resolution before `loop` (Linux's own limit).
    static let maxSymlinks = 40

    /// A path cut into its directory part and last component.
    struct SplitPath {
        var directory: String  // "" for the starting directory itself
        var name: String
        var trailingSlash: Bool
    }

    /// Splits a guest path. Empty paths name nothing (`noent`); absolute ones escape (`perm`).
    static func split(_ path: String) throws(WASIErrno) -> SplitPath {
        if path.isEmpty { throw .noent }
        if path.utf8.first == UInt8(ascii: "/") { throw .perm }
        var bytes = Substring(path)
        var trailingSlash = false
        while bytes.utf8.last == UInt8(ascii: "/") {
            bytes = bytes.dropLast()
            trailingSlash = true
        }
        guard let cut = bytes.lastIndex(of: "/") else {
            return SplitPath(directory: "", name: String(bytes), trailingSlash: trailingSlash)
        }
        return SplitPath(directory: String(bytes[..<cut]), name: String(bytes[bytes.index(after: cut)...]),
                         trailingSlash: trailingSlash)
    }

    /// A directory descriptor and a single component within it. The descriptor is the
    /// caller's own directory, or an `O_PATH` descriptor this type closes in `release`.
    struct Location {
        let directory: Int32
        let owned: Bool
        let name: String
        let trailingSlash: Bool

        var isDotOrDotDot: Bool { name == "." || name == ".." }

        func release() {
            if owned { closeQuietly(directory) }
        }
    }

    // MARK: Resolving the directory part

    /// Opens the directory `path` (relative, possibly empty) beneath `root` as `O_PATH`.
    /// Returns `root` itself (not owned) for an empty path.
    static func openDirectory(_ root: Int32, _ path: String) throws(WASIErrno) -> (fd: Int32, owned: Bool) {
        if path.isEmpty || path == "." { return (root, false) }
        if path.utf8.first == UInt8(ascii: "/") { throw .perm }
        let flags = Linux.O_PATH | O_DIRECTORY | O_CLOEXEC
        if let fd = try openBeneath(root, path, flags: flags, mode: 0) { return (fd, true) }
        var walk = Walk(root: root, path: path)
        defer { walk.releaseAll() }
        try walk.run()
        return (try walk.takeTop(), true)
    }

    /// The directory holding `path`'s last component, and that component (never followed).
    static func locate(_ root: Int32, _ path: String) throws(WASIErrno) -> Location {
        let parts = try split(path)
        let dir = try openDirectory(root, parts.directory)
        return Location(directory: dir.fd, owned: dir.owned, name: parts.name, trailingSlash: parts.trailingSlash)
    }

    /// Like `locate`, but the last component is resolved: `.` and `..` are applied (so the name
    /// returned is `.` for a directory), and when `follow` is set (or the path ends in `/`)
    /// symlinks are followed, beneath `root`, until the name is not a symlink.
    static func resolve(_ root: Int32, _ path: String, follow: Bool) throws(WASIErrno) -> Location {
        var current = path
        for _ in 0...maxSymlinks {
            let parts = try split(current)
            if parts.name == "." || parts.name == ".." {
                let whole = parts.directory.isEmpty ? parts.name : parts.directory + "/" + parts.name
                let dir = try openDirectory(root, whole)
                return Location(directory: dir.fd, owned: dir.owned, name: ".", trailingSlash: false)
            }
            let dir = try openDirectory(root, parts.directory)
            if !(follow || parts.trailingSlash) {
                return Location(directory: dir.fd, owned: dir.owned, name: parts.name, trailingSlash: false)
            }
            guard let target = readSymlink(dir.fd, parts.name) else {
                let location = Location(directory: dir.fd, owned: dir.owned, name: parts.name, trailingSlash: false)
                if parts.trailingSlash {
                    var st = stat()
                    if fstatat(dir.fd, parts.name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                        let error = WASIErrno.last
                        location.release()
                        throw error
                    }
                    if st.st_mode & S_IFMT != S_IFDIR {
                        location.release()
                        throw .notdir
                    }
                }
                return location
            }
            if dir.owned { closeQuietly(dir.fd) }
            if target.utf8.first == UInt8(ascii: "/") { throw .perm }
            let suffix = parts.trailingSlash ? "/" : ""
            current = (parts.directory.isEmpty ? target : parts.directory + "/" + target) + suffix
        }
        throw .loop
    }

    /// Opens `path` beneath `root` with `flags` (`O_NOFOLLOW` in `flags` stops at a final symlink).
    static func open(_ root: Int32, _ path: String, flags: Int32, mode: UInt32) throws(WASIErrno) -> Int32 {
        if path.isEmpty { throw .noent }
        if path.utf8.first == UInt8(ascii: "/") { throw .perm }
        // openat2 refuses a mode without O_CREAT.
        let createMode = flags & O_CREAT != 0 ? mode : 0
        if let fd = try openBeneath(root, path, flags: flags | O_CLOEXEC, mode: createMode) { return fd }
        // The walk: resolve the last component ourselves, then open it without following.
        let follow = flags & O_NOFOLLOW == 0
        let location = try resolve(root, path, follow: follow)
        defer { location.release() }
        var openFlags = flags | O_NOFOLLOW | O_CLOEXEC
        let parts = try split(path)
        if parts.trailingSlash {
            if flags & O_CREAT != 0 { throw .isdir }
            openFlags |= O_DIRECTORY
        }
        return try retrying { openat(location.directory, location.name, openFlags, mode) }
    }

    /// `openat2` beneath `root`, or nil when the kernel lacks it (the caller walks instead).
    private static func openBeneath(_ root: Int32, _ path: String, flags: Int32, mode: UInt32) throws(WASIErrno) -> Int32? {
        var attempts = 0
        while true {
            let fd = Linux.openat2(root, path, flags: flags, mode: mode,
                                   resolve: Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_MAGICLINKS)
            if fd >= 0 { return fd }
            switch errno {
            case ENOSYS:
                return nil  // no openat2: walk instead
            case EPERM where !openat2Works:
                return nil  // a seccomp filter blocks openat2: walk instead
            case EINTR:
                continue
            case EAGAIN where attempts < 16:
                // A concurrent rename raced a `..` lookup; the kernel asks us to retry.
                attempts += 1
                continue
            case EXDEV:
                // RESOLVE_BENEATH refused a path leading outside `root`.
                throw .perm
            default:
                throw WASIErrno.last
            }
        }
    }

    /// Whether openat2 is usable here: checked once, so that a genuine EPERM (permissions)
    /// is not mistaken for a seccomp filter blocking the system call.
    private static let openat2Works: Bool = {
        let fd = Linux.openat2Call(AT_FDCWD, ".", flags: Linux.O_PATH | O_CLOEXEC, mode: 0, resolve: Linux.RESOLVE_BENEATH)
        if fd >= 0 { closeQuietly(fd) }
        return fd >= 0
    }()

    /// The target of the symlink `name` in `dir`, or nil when it is not a symlink.
    static func readSymlink(_ dir: Int32, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return readlinkat(dir, name, base.assumingMemoryBound(to: CChar.self), raw.count)
            }
            if n < 0 { return nil }
            if n < buffer.count { return String(decoding: buffer[0..<n], as: UTF8.self) }
            if buffer.count >= 1 << 16 { return nil }
            buffer = [UInt8](repeating: 0, count: buffer.count * 4)
        }
    }
}
