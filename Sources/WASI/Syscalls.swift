#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Linux interfaces the Glibc module does not import: it is built without `_GNU_SOURCE`, so
/// GNU extensions (getrandom, getdents64, accept4, O_PATH, ...) are invisible, and `syscall`
/// is variadic, which Swift cannot call. The functions are looked up once with `dlsym` and
/// called through C function pointers; the constants are Linux's (the same on x86-64 and arm64).
enum Linux {
    static let O_PATH: Int32 = 0o10000000
    static let AT_EMPTY_PATH: Int32 = 0x1000
    static let UTIME_NOW = 0x3FFF_FFFF
    static let UTIME_OMIT = 0x3FFF_FFFE
    static let RESOLVE_NO_MAGICLINKS: UInt64 = 0x02
    static let RESOLVE_BENEATH: UInt64 = 0x08
    static let SOCK_NONBLOCK: Int32 = 0o4000
    static let SOCK_CLOEXEC: Int32 = 0o2000000
    static let MSG_TRUNC: Int32 = 0x20
    /// The same number on every architecture (it postdates the unified syscall table).
    static let SYS_openat2 = 437

    typealias SyscallFunction = @convention(c) (Int, Int, Int, Int, Int) -> Int
    typealias GetrandomFunction = @convention(c) (UnsafeMutableRawPointer?, Int, UInt32) -> Int
    typealias Getdents64Function = @convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int
    typealias Accept4Function = @convention(c) (Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Int32

    private static func lookup<F>(_ name: String, as type: F.Type) -> F? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    // glibc's `syscall` only moves registers, so calling it through a fixed-arity pointer is sound.
    static let syscall5 = lookup("syscall", as: SyscallFunction.self)
    static let getrandomFunction = lookup("getrandom", as: GetrandomFunction.self)
    static let getdents64Function = lookup("getdents64", as: Getdents64Function.self)
    static let accept4Function = lookup("accept4", as: Accept4Function.self)

    /// Set by tests to exercise the component walk that replaces openat2 on older kernels.
    nonisolated(unsafe) static var openat2Disabled = false

    /// `openat2(dirfd, path, {flags, mode, resolve})`. Returns the fd or -1 with errno set;
    /// errno is ENOSYS when the kernel (or the C library) lacks it.
    static func openat2(_ dirfd: Int32, _ path: String, flags: Int32, mode: UInt32, resolve: UInt64) -> Int32 {
        guard !openat2Disabled, let call = syscall5 else {
            errno = ENOSYS
            return -1
        }
        var how: (UInt64, UInt64, UInt64) = (UInt64(UInt32(bitPattern: flags)), UInt64(mode), resolve)
        return path.withCString { cPath in
            withUnsafeMutablePointer(to: &how) { howPointer in
                Int32(truncatingIfNeeded: call(
                    SYS_openat2, Int(dirfd), Int(bitPattern: cPath), Int(bitPattern: howPointer), 24))
            }
        }
    }

    /// Fills `buffer` with random bytes (getrandom, else /dev/urandom).
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var done = 0
        if let getrandom = getrandomFunction {
            while done < buffer.count {
                let n = getrandom(base + done, buffer.count - done, 0)
                if n < 0 {
                    if errno == EINTR { continue }
                    break
                }
                done += n
            }
            if done == buffer.count { return true }
        }
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

    static func getdents64(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let call = getdents64Function else {
            errno = ENOSYS
            return -1
        }
        return call(fd, buffer.baseAddress, buffer.count)
    }

    /// accept4 with SOCK_CLOEXEC (and SOCK_NONBLOCK when asked).
    static func acceptConnection(_ fd: Int32, nonblocking: Bool) -> Int32 {
        let flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0)
        if let accept4 = accept4Function { return accept4(fd, nil, nil, flags) }
        let connection = accept(fd, nil, nil)
        if connection >= 0 {
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            if nonblocking { _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK) }
        }
        return connection
    }
}

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
