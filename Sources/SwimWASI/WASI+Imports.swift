import Swim

/// The 46 functions of `wasi_snapshot_preview1`, bound to their signatures. Each reads its
/// arguments from the raw slots, runs with the caller's memory, and returns its errno in
/// slot 0; only `proc_exit` (and host failures that are not errnos) end the execution.
extension WASI {
    /// Raw argument slots: i32 values in the low half of a slot, i64 values in a whole one.
    struct Arguments {
        let slots: UnsafeMutablePointer<UInt64>
        subscript(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: slots[i]) }
        func i64(_ i: Int) -> UInt64 { slots[i] }
    }

    typealias Body = @Sendable (WASI, GuestMemory, Arguments) throws(WASIErrno) -> Void

    /// (name, parameters as "i" for i32 and "I" for i64, body). Every one returns an i32 errno.
    static let functions: [(String, String, Body)] = [
        ("args_get", "ii", { w, m, a throws(WASIErrno) in try w.argsGet(m, pointers: a[0], buffer: a[1]) }),
        ("args_sizes_get", "ii", { w, m, a throws(WASIErrno) in try w.argsSizesGet(m, countPointer: a[0], sizePointer: a[1]) }),
        ("environ_get", "ii", { w, m, a throws(WASIErrno) in try w.environGet(m, pointers: a[0], buffer: a[1]) }),
        ("environ_sizes_get", "ii", { w, m, a throws(WASIErrno) in try w.environSizesGet(m, countPointer: a[0], sizePointer: a[1]) }),
        ("clock_res_get", "ii", { w, m, a throws(WASIErrno) in try w.clockResGet(m, id: a[0], resultPointer: a[1]) }),
        ("clock_time_get", "iIi", { w, m, a throws(WASIErrno) in try w.clockTimeGet(m, id: a[0], resultPointer: a[2]) }),
        ("fd_advise", "iIIi", { w, _, a throws(WASIErrno) in try w.fdAdvise(fd: a[0], offset: a.i64(1), length: a.i64(2), advice: a[3]) }),
        ("fd_allocate", "iII", { w, _, a throws(WASIErrno) in try w.fdAllocate(fd: a[0], offset: a.i64(1), length: a.i64(2)) }),
        ("fd_close", "i", { w, _, a throws(WASIErrno) in try w.fdClose(fd: a[0]) }),
        ("fd_datasync", "i", { w, _, a throws(WASIErrno) in try w.fdDatasync(fd: a[0]) }),
        ("fd_fdstat_get", "ii", { w, m, a throws(WASIErrno) in try w.fdFdstatGet(m, fd: a[0], pointer: a[1]) }),
        ("fd_fdstat_set_flags", "ii", { w, _, a throws(WASIErrno) in
            guard a[1] <= UInt32(UInt16.max) else { throw .inval }
            try w.fdFdstatSetFlags(fd: a[0], flags: UInt16(a[1]))
        }),
        ("fd_fdstat_set_rights", "iII", { w, _, a throws(WASIErrno) in try w.fdFdstatSetRights(fd: a[0], base: a.i64(1), inheriting: a.i64(2)) }),
        ("fd_filestat_get", "ii", { w, m, a throws(WASIErrno) in try w.fdFilestatGet(m, fd: a[0], pointer: a[1]) }),
        ("fd_filestat_set_size", "iI", { w, _, a throws(WASIErrno) in try w.fdFilestatSetSize(fd: a[0], size: a.i64(1)) }),
        ("fd_filestat_set_times", "iIIi", { w, _, a throws(WASIErrno) in
            guard a[3] <= UInt32(UInt16.max) else { throw .inval }
            try w.fdFilestatSetTimes(fd: a[0], atim: a.i64(1), mtim: a.i64(2), flags: a[3])
        }),
        ("fd_pread", "iiiIi", { w, m, a throws(WASIErrno) in
            try w.fdPread(m, fd: a[0], iovs: a[1], count: a[2], offset: a.i64(3), resultPointer: a[4])
        }),
        ("fd_prestat_get", "ii", { w, m, a throws(WASIErrno) in try w.fdPrestatGet(m, fd: a[0], pointer: a[1]) }),
        ("fd_prestat_dir_name", "iii", { w, m, a throws(WASIErrno) in try w.fdPrestatDirName(m, fd: a[0], path: a[1], length: a[2]) }),
        ("fd_pwrite", "iiiIi", { w, m, a throws(WASIErrno) in
            try w.fdPwrite(m, fd: a[0], iovs: a[1], count: a[2], offset: a.i64(3), resultPointer: a[4])
        }),
        ("fd_read", "iiii", { w, m, a throws(WASIErrno) in try w.fdRead(m, fd: a[0], iovs: a[1], count: a[2], resultPointer: a[3]) }),
        ("fd_readdir", "iiiIi", { w, m, a throws(WASIErrno) in
            try w.fdReaddir(m, fd: a[0], buffer: a[1], length: a[2], cookie: a.i64(3), resultPointer: a[4])
        }),
        ("fd_renumber", "ii", { w, _, a throws(WASIErrno) in try w.fdRenumber(from: a[0], to: a[1]) }),
        ("fd_seek", "iIii", { w, m, a throws(WASIErrno) in try w.fdSeek(m, fd: a[0], offset: a.i64(1), whence: a[2], resultPointer: a[3]) }),
        ("fd_sync", "i", { w, _, a throws(WASIErrno) in try w.fdSync(fd: a[0]) }),
        ("fd_tell", "ii", { w, m, a throws(WASIErrno) in try w.fdTell(m, fd: a[0], resultPointer: a[1]) }),
        ("fd_write", "iiii", { w, m, a throws(WASIErrno) in try w.fdWrite(m, fd: a[0], iovs: a[1], count: a[2], resultPointer: a[3]) }),
        ("path_create_directory", "iii", { w, m, a throws(WASIErrno) in try w.pathCreateDirectory(m, fd: a[0], path: a[1], length: a[2]) }),
        ("path_filestat_get", "iiiii", { w, m, a throws(WASIErrno) in
            try w.pathFilestatGet(m, fd: a[0], flags: a[1], path: a[2], length: a[3], pointer: a[4])
        }),
        ("path_filestat_set_times", "iiiiIIi", { w, m, a throws(WASIErrno) in
            guard a[6] <= UInt32(UInt16.max) else { throw .inval }
            try w.pathFilestatSetTimes(m, fd: a[0], flags: a[1], path: a[2], length: a[3], atim: a.i64(4), mtim: a.i64(5), fstFlags: a[6])
        }),
        ("path_link", "iiiiiii", { w, m, a throws(WASIErrno) in
            try w.pathLink(m, oldFD: a[0], oldFlags: a[1], oldPath: a[2], oldLength: a[3], newFD: a[4], newPath: a[5], newLength: a[6])
        }),
        ("path_open", "iiiiiIIii", { w, m, a throws(WASIErrno) in
            try w.pathOpen(m, fd: a[0], lookupFlags: a[1], path: a[2], length: a[3], oflags: a[4],
                           rightsBase: a.i64(5), rightsInheriting: a.i64(6), fdflags: a[7], resultPointer: a[8])
        }),
        ("path_readlink", "iiiiii", { w, m, a throws(WASIErrno) in
            try w.pathReadlink(m, fd: a[0], path: a[1], length: a[2], buffer: a[3], bufferLength: a[4], resultPointer: a[5])
        }),
        ("path_remove_directory", "iii", { w, m, a throws(WASIErrno) in try w.pathRemoveDirectory(m, fd: a[0], path: a[1], length: a[2]) }),
        ("path_rename", "iiiiii", { w, m, a throws(WASIErrno) in
            try w.pathRename(m, oldFD: a[0], oldPath: a[1], oldLength: a[2], newFD: a[3], newPath: a[4], newLength: a[5])
        }),
        ("path_symlink", "iiiii", { w, m, a throws(WASIErrno) in
            try w.pathSymlink(m, oldPath: a[0], oldLength: a[1], fd: a[2], newPath: a[3], newLength: a[4])
        }),
        ("path_unlink_file", "iii", { w, m, a throws(WASIErrno) in try w.pathUnlinkFile(m, fd: a[0], path: a[1], length: a[2]) }),
        ("poll_oneoff", "iiii", { w, m, a throws(WASIErrno) in
            try w.pollOneoff(m, subscriptions: a[0], events: a[1], count: a[2], resultPointer: a[3])
        }),
        ("proc_raise", "i", { w, _, a throws(WASIErrno) in try w.procRaise(signal: a[0]) }),
        ("sched_yield", "", { w, _, _ throws(WASIErrno) in try w.schedYield() }),
        ("random_get", "ii", { w, m, a throws(WASIErrno) in try w.randomGet(m, buffer: a[0], length: a[1]) }),
        ("sock_accept", "iii", { w, m, a throws(WASIErrno) in try w.sockAccept(m, fd: a[0], flags: a[1], resultPointer: a[2]) }),
        ("sock_recv", "iiiiii", { w, m, a throws(WASIErrno) in
            try w.sockRecv(m, fd: a[0], iovs: a[1], count: a[2], flags: a[3], resultPointer: a[4], flagsPointer: a[5])
        }),
        ("sock_send", "iiiii", { w, m, a throws(WASIErrno) in
            try w.sockSend(m, fd: a[0], iovs: a[1], count: a[2], flags: a[3], resultPointer: a[4])
        }),
        ("sock_shutdown", "ii", { w, _, a throws(WASIErrno) in try w.sockShutdown(fd: a[0], how: a[1]) }),
    ]

    /// Defines every WASI function in `linker` under `wasi_snapshot_preview1`, as host functions
    /// of `store`. A module may import any subset of them.
    public func define(in linker: inout Linker, store: Store) {
        define(in: &linker, store: store, where: { _ in true })
    }

    /// Defines only the WASI functions `module` imports (less work at start-up than all 46).
    public func define(in linker: inout Linker, store: Store, importsOf module: Module) {
        var wanted = Set<String>()
        for i in module.imports where i.module == WASI.moduleName { wanted.insert(i.name) }
        define(in: &linker, store: store, where: { wanted.contains($0) })
    }

    private func define(in linker: inout Linker, store: Store, where included: (String) -> Bool) {
        for (name, signature, body) in WASI.functions where included(name) {
            let parameters: [ValueType] = signature.map { $0 == "I" ? .i64 : .i32 }
            let type = FunctionType(parameters: parameters, results: [.i32])
            // Preview1 is a 32-bit ABI: a module with a 64-bit memory 0 can't use it.
            let function = Function(store: store, type: type, requires32BitMemory: true, rawBody: { [self] caller, slots in
                let memory = caller.memory.map { $0.withUnsafeMutableBytes { GuestMemory($0) } } ?? .none
                var result = WASIErrno.success
                do throws(WASIErrno) {
                    try body(self, memory, Arguments(slots: slots))
                } catch {
                    result = error
                }
                slots[0] = UInt64(result.rawValue)
            })
            linker.define(WASI.moduleName, name, .function(function))
        }
        guard included("proc_exit") else { return }
        let exit = Function(store: store, type: FunctionType(parameters: [.i32]), rawBody: { [self] _, slots in
            try self.procExit(code: UInt32(truncatingIfNeeded: slots[0]))
        })
        linker.define(WASI.moduleName, "proc_exit", .function(exit))
    }
}
