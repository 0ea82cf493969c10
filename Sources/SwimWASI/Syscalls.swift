#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Linux interfaces the Glibc module does not import: it is built without `_GNU_SOURCE`, so
/// GNU extensions (getrandom, accept4, O_PATH, ...) are invisible, and `syscall` is variadic,
/// which Swift cannot call. They are declared here with C linkage (`@_extern(c)`: no dlsym,
/// so a statically linked `swim` works too); the constants are Linux's, the same on x86-64
/// and arm64.
enum Linux {
    static let O_PATH: Int32 = 0o10000000
    static let UTIME_NOW = 0x3FFF_FFFF
    static let UTIME_OMIT = 0x3FFF_FFFE
    static let RESOLVE_NO_MAGICLINKS: UInt64 = 0x02
    static let RESOLVE_BENEATH: UInt64 = 0x08
    static let SOCK_NONBLOCK: Int32 = 0o4000
    static let SOCK_CLOEXEC: Int32 = 0o2000000
    static let MSG_TRUNC: Int32 = 0x20
    /// The same number on every architecture (it postdates the unified syscall table).
    static let SYS_openat2 = 437

    /// Set by tests (`Linux.$openat2Disabled.withValue(true) { ... }`) to exercise the
    /// component walk that replaces openat2 on older kernels.
    @TaskLocal static var openat2Disabled = false

    /// `openat2(dirfd, path, {flags, mode, resolve})`. Returns the fd or -1 with errno set;
    /// errno is ENOSYS when the kernel (or the C library) lacks it.
    static func openat2(_ dirfd: Int32, _ path: String, flags: Int32, mode: UInt32, resolve: UInt64) -> Int32 {
        if openat2Disabled {
            errno = ENOSYS
            return -1
        }
        return openat2Call(dirfd, path, flags: flags, mode: mode, resolve: resolve)
    }

    /// The system call itself, whatever `openat2Disabled` says.
    static func openat2Call(_ dirfd: Int32, _ path: String, flags: Int32, mode: UInt32, resolve: UInt64) -> Int32 {
        var how: (UInt64, UInt64, UInt64) = (UInt64(UInt32(bitPattern: flags)), UInt64(mode), resolve)
        return path.withCString { cPath in
            withUnsafeMutablePointer(to: &how) { howPointer in
                Int32(truncatingIfNeeded: c_syscall(
                    SYS_openat2, Int(dirfd), Int(bitPattern: cPath), Int(bitPattern: howPointer), 24))
            }
        }
    }

    /// Fills `buffer` with random bytes (getrandom, else /dev/urandom where a seccomp filter
    /// refuses getrandom).
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var done = 0
        while done < buffer.count {
            let n = c_getrandom(base + done, buffer.count - done, 0)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            done += n
        }
        if done == buffer.count { return true }
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        while done < buffer.count {
            let n = read(fd, base + done, buffer.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// accept4 with SOCK_CLOEXEC (and SOCK_NONBLOCK when asked).
    static func acceptConnection(_ fd: Int32, nonblocking: Bool) -> Int32 {
        c_accept4(fd, nil, nil, SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0))
    }
}

// glibc's `syscall` only moves registers, so calling it through a fixed-arity prototype is sound
// on x86-64 and arm64.
@_extern(c, "syscall")
private func c_syscall(_ number: Int, _ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int

@_extern(c, "getrandom")
private func c_getrandom(_ buffer: UnsafeMutableRawPointer?, _ count: Int, _ flags: UInt32) -> Int

@_extern(c, "accept4")
private func c_accept4(_ fd: Int32, _ address: UnsafeMutableRawPointer?, _ length: UnsafeMutableRawPointer?,
                       _ flags: Int32) -> Int32

/// Repeats a system call while it fails with EINTR; throws the WASI errno of other failures.
@inline(__always)
func retrying<T: BinaryInteger>(_ call: () -> T) throws(WASIErrno) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        if errno != EINTR { throw WASIErrno.last }
    }
}

/// Closes a host descriptor, ignoring errors (there is nothing useful to do with them).
func closeQuietly(_ fd: Int32) {
    _ = close(fd)
}
