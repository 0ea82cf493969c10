#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Arguments, environment, clocks, randomness and scheduling.
extension WASI {
    func argsSizesGet(_ memory: GuestMemory, countPointer: UInt32, sizePointer: UInt32) throws(WASIErrno) {
        try sizesGet(arguments, memory, countPointer, sizePointer)
    }

    func argsGet(_ memory: GuestMemory, pointers: UInt32, buffer: UInt32) throws(WASIErrno) {
        try stringsGet(arguments, memory, pointers, buffer)
    }

    func environSizesGet(_ memory: GuestMemory, countPointer: UInt32, sizePointer: UInt32) throws(WASIErrno) {
        try sizesGet(environment, memory, countPointer, sizePointer)
    }

    func environGet(_ memory: GuestMemory, pointers: UInt32, buffer: UInt32) throws(WASIErrno) {
        try stringsGet(environment, memory, pointers, buffer)
    }

    /// The count of `strings` and the bytes they take NUL-terminated.
    private func sizesGet(_ strings: [String], _ memory: GuestMemory, _ countPointer: UInt32,
                          _ sizePointer: UInt32) throws(WASIErrno) {
        let size = strings.reduce(0) { $0 + $1.utf8.count + 1 }
        guard strings.count <= UInt32.max, size <= UInt32.max else { throw .overflow }
        try memory.store32(countPointer, UInt32(strings.count))
        try memory.store32(sizePointer, UInt32(size))
    }

    /// Writes each string NUL-terminated into `buffer` and its address into `pointers`.
    private func stringsGet(_ strings: [String], _ memory: GuestMemory, _ pointers: UInt32,
                            _ buffer: UInt32) throws(WASIErrno) {
        if strings.isEmpty { return }  // nothing to write: the pointers are not looked at
        // Both arrays whole first: the addresses below then never wrap around.
        _ = try memory.pointer(pointers, UInt64(strings.count) * 4)
        _ = try memory.pointer(buffer, UInt64(strings.reduce(0) { $0 + $1.utf8.count + 1 }))
        var next = UInt64(buffer)
        for (i, s) in strings.enumerated() {
            try memory.store32(pointers &+ UInt32(truncatingIfNeeded: i) &* 4, UInt32(truncatingIfNeeded: next))
            try memory.write(s.utf8, at: UInt32(truncatingIfNeeded: next))
            try memory.store8(UInt32(truncatingIfNeeded: next) &+ UInt32(truncatingIfNeeded: s.utf8.count), 0)
            next += UInt64(s.utf8.count) + 1
        }
    }

    private func hostClock(_ id: UInt32) throws(WASIErrno) -> clockid_t {
        switch ClockID(rawValue: id) {
        case .realtime: return CLOCK_REALTIME
        case .monotonic: return CLOCK_MONOTONIC
        case .processCPUTime: return CLOCK_PROCESS_CPUTIME_ID
        case .threadCPUTime: return CLOCK_THREAD_CPUTIME_ID
        case nil: throw .inval
        }
    }

    func clockResGet(_ memory: GuestMemory, id: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        var ts = timespec()
        if clock_getres(try hostClock(id), &ts) != 0 { throw WASIErrno.last }
        try memory.store64(resultPointer, try nanoseconds(ts))
    }

    func clockTimeGet(_ memory: GuestMemory, id: UInt32, resultPointer: UInt32) throws(WASIErrno) {
        try memory.store64(resultPointer, try now(try hostClock(id)))
    }

    /// The time on a host clock in nanoseconds.
    func now(_ clock: clockid_t) throws(WASIErrno) -> UInt64 {
        var ts = timespec()
        if clock_gettime(clock, &ts) != 0 { throw WASIErrno.last }
        return try nanoseconds(ts)
    }

    func randomGet(_ memory: GuestMemory, buffer: UInt32, length: UInt32) throws(WASIErrno) {
        guard Linux.fillRandom(try memory.buffer(buffer, length)) else { throw .io }
    }

    func schedYield() throws(WASIErrno) {
        _ = sched_yield()
    }

    /// Signals are not delivered to WASI programs (wasmtime answers the same).
    func procRaise(signal: UInt32) throws(WASIErrno) {
        throw .notsup
    }

    /// `proc_exit`: ends the program by throwing `WASIExit` to the embedder. Statuses from 126
    /// up are refused, as in wasmtime (they are reserved for shells).
    func procExit(code: UInt32) throws -> Never {
        guard code < 126 else { throw WASIError("exit with invalid exit status outside of [0..126)") }
        throw WASIExit(code: Int32(code))
    }
}

/// A timespec in nanoseconds (`overflow` past year 2554).
func nanoseconds(_ ts: timespec) throws(WASIErrno) -> UInt64 {
    guard ts.tv_sec >= 0, ts.tv_nsec >= 0 else { return 0 }
    let (scaled, o1) = UInt64(ts.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
    let (total, o2) = scaled.addingReportingOverflow(UInt64(ts.tv_nsec))
    if o1 || o2 { throw .overflow }
    return total
}
