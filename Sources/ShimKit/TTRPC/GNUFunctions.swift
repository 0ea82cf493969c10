import Glibc

/// glibc functions the shim needs that the Glibc module hides (it is built without
/// `_GNU_SOURCE`, and leaves out malloc.h). Looked up once with `dlsym` and called through C
/// function pointers.
enum GNUFunctions {
    typealias Accept4 = @convention(c) (Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    typealias SetThreadName = @convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32
    typealias MallocOption = @convention(c) (Int32, Int32) -> Int32

    private static func lookup<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    static let accept4 = lookup("accept4", as: Accept4.self)
    static let setThreadName = lookup("pthread_setname_np", as: SetThreadName.self)
    static let mallocOption = lookup("mallopt", as: MallocOption.self)

    /// One malloc arena for the whole process. glibc gives each thread that allocates an arena
    /// of its own (up to eight per core); the shim daemon's threads mostly wait, and their
    /// arenas were a tenth of an idle container's memory (docs/performance.md).
    static func useOneMallocArena() {
        let arenaMaximum: Int32 = -8  // M_ARENA_MAX in malloc.h
        _ = mallocOption?(arenaMaximum, 1)
    }

    /// accept4(SOCK_CLOEXEC): the descriptor is close-on-exec from the start, so a process
    /// spawned by another thread meanwhile cannot inherit it. Without accept4 (not seen on
    /// glibc), falls back to accept + FD_CLOEXEC.
    static func acceptCloseOnExec(_ listener: Int32) -> Int32 {
        if let accept4 {
            return accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        }
        let fd = accept(listener, nil, nil)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
    }

    /// Names the calling thread (kernel limit: 15 bytes), for ps and debuggers.
    static func nameCurrentThread(_ name: String) {
        guard let setThreadName else { return }
        var bytes = Array(name.utf8.prefix(15)).map { CChar(bitPattern: $0) }
        bytes.append(0)
        _ = setThreadName(pthread_self(), bytes)
    }
}
