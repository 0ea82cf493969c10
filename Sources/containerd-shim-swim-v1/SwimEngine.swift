import Glibc
import ShimKit
import ShimWasm
import Swim
import SwimWASI

/// Swim's engine for the shim: the interpreter with WASI preview1, the container's root
/// file system preopened as `/` (as runwasi's engines do).
struct SwimEngine: WasmEngine {
    static let name = "swim"

    struct Prepared {
        let module: Module
        let store: Store
        let linker: Linker
        let wasi: WASI
        let function: String
    }

    /// Memory the process needs besides linear memory (runtime, code, value stack in use).
    static let runtimeReserve: UInt64 = 24 << 20

    /// `prepare` reads, decodes and validates the module once; checking its format apart
    /// would read (and compile, for text) it twice.
    func canHandle(_ context: RuntimeContext) throws {}

    func prepare(_ context: RuntimeContext) throws -> Prepared {
        let bytes = try context.wasmBinary()
        var configuration = Engine.Configuration()
        if let limit = context.memoryLimitBytes {
            // Keep linear memory under the cgroup limit: memory.grow then fails (-1) before
            // the kernel's OOM killer would end the container.
            let available = limit > 2 * Self.runtimeReserve ? limit - Self.runtimeReserve : limit / 2
            configuration.maxMemoryPages = min(configuration.maxMemoryPages, available / UInt64(MemoryType.pageSize))
            // All memories and tables together, too (a module may have several memories).
            configuration.memoryLimit = available
        }
        let engine = Engine(configuration: configuration)
        let module = try Module(engine: engine, bytes: bytes)
        let function = context.entrypoint.function
        guard module.exports.contains(where: { export in
            if case .function = export.type { return export.name == function }
            return false
        }) else {
            throw ShimWasmError("\(context.moduleName) exports no function \(function)")
        }
        let wasi = try WASI(WASIConfiguration(
            arguments: context.args, environment: context.envs,
            preopens: [.init(hostPath: "/", guestPath: "/")]))
        let store = Store(engine: engine)
        var linker = Linker()
        wasi.define(in: &linker, store: store, importsOf: module)
        for i in module.imports where linker.resolve(i.module, i.name) == nil {
            throw ShimWasmError("\(context.moduleName) imports \(i.module).\(i.name), which Swim does not provide")
        }
        return Prepared(module: module, store: store, linker: linker, wasi: wasi, function: function)
    }

    /// What the interpreter and the WASI host call once the guest runs.
    let allowedSyscalls: [AllowedSyscall] = [
        // files and directories
        "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
        "lseek", "close", "openat", "openat2", "fstat", "newfstatat", "statx", "getdents64", "mkdirat",
        "unlinkat", "renameat", "renameat2", "linkat", "symlinkat", "readlinkat", "utimensat", "fsync",
        "fdatasync", "fadvise64", "fallocate", "ftruncate", "fcntl", "dup", "dup3",
        // poll_oneoff asks how much a descriptor holds (FIONREAD); glibc's isatty is TCGETS.
        // No other request: TIOCSTI on an inherited terminal would type into the host's shell.
        .ioctl(requests: [UInt(FIONREAD), UInt(TCGETS)]),
        // polling, time, randomness
        "poll", "ppoll", "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "getrandom", "sched_yield",
        // preopened sockets
        "accept4", "recvfrom", "recvmsg", "sendto", "sendmsg", "shutdown", "getsockopt",
        // memory (memory.grow is mprotect), threads' locks, signals, exit
        "mmap", "munmap", "mprotect", "madvise", "mremap", "brk", "futex", "rt_sigreturn", "rt_sigprocmask",
        "rt_sigaction", "sigaltstack", "getpid", "gettid", "tgkill", "exit", "exit_group",
    ]

    func run(_ prepared: Prepared) throws -> Int32 {
        let instance = try prepared.linker.instantiate(prepared.module, in: prepared.store)
        defer { prepared.wasi.close() }
        if prepared.function == "_start" { return try prepared.wasi.start(instance) }
        guard let function = instance.function(prepared.function) else {
            throw ShimWasmError("no exported function \(prepared.function)")
        }
        do {
            try function.call([])
            return 0
        } catch let exit as WASIExit {
            return exit.code
        }
    }
}
