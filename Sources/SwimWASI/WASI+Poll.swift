#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `poll_oneoff`: waits until a descriptor is ready or a clock expires. Descriptor
/// subscriptions go to the host's `poll` (regular files are always ready); clock subscriptions
/// become one deadline on the monotonic clock. Events are reported in subscription order.
extension WASI {
    private enum Subscription {
        case clock(deadline: UInt64)
        case descriptor(index: Int, read: Bool, descriptor: Descriptor)
    }

    /// At most this many subscriptions per call: the host's bookkeeping grows with the count,
    /// which only the guest's memory would otherwise bound (89 million in 4 GiB). poll(2)
    /// likewise refuses more descriptors than RLIMIT_NOFILE with EINVAL.
    static let maximumSubscriptions: UInt32 = 1 << 16

    func pollOneoff(_ memory: GuestMemory, subscriptions: UInt32, events: UInt32, count: UInt32,
                    resultPointer: UInt32) throws(WASIErrno) {
        // Waiting forever on nothing is refused, as in wasmtime.
        if count == 0 || count > Self.maximumSubscriptions { throw .inval }
        _ = try memory.pointer(subscriptions, UInt64(count) * Layout.subscriptionSize)
        _ = try memory.pointer(events, UInt64(count) * Layout.eventSize)
        _ = try memory.pointer(resultPointer, 4)

        let start = try now(CLOCK_MONOTONIC)
        var parsed: [(userdata: UInt64, subscription: Subscription)] = []
        var pollDescriptors: [pollfd] = []
        var deadline = UInt64.max
        for i in 0..<count {
            let entry = subscriptions &+ i &* UInt32(Layout.subscriptionSize)
            let userdata = try memory.load64(entry)
            let type = try memory.load8(entry &+ 8)
            switch type {
            case EventType.clock.rawValue:
                let clock = try memory.load32(entry &+ 16)
                let timeout = try memory.load64(entry &+ 24)
                let absolute = try memory.load16(entry &+ 40) & SubclockFlags.absoluteTime != 0
                let due = try clockDeadline(clock: clock, timeout: timeout, absolute: absolute, monotonicNow: start)
                deadline = min(deadline, due)
                parsed.append((userdata, .clock(deadline: due)))
            case EventType.fdRead.rawValue, EventType.fdWrite.rawValue:
                let read = type == EventType.fdRead.rawValue
                let d = try descriptors.get(try memory.load32(entry &+ 16))
                switch d.kind {
                case .file, .socket: break
                case .stdin: if !read { throw .badf }
                case .stdout, .stderr: if read { throw .badf }
                case .directory: throw .badf
                }
                parsed.append((userdata, .descriptor(index: pollDescriptors.count, read: read, descriptor: d)))
                pollDescriptors.append(pollfd(fd: d.hostFD, events: Int16(read ? POLLIN : POLLOUT), revents: 0))
            default:
                throw .inval
            }
        }

        try wait(&pollDescriptors, until: deadline)
        let end = try now(CLOCK_MONOTONIC)

        var written: UInt32 = 0
        for (userdata, subscription) in parsed {
            let event = events &+ written &* UInt32(Layout.eventSize)
            switch subscription {
            case .clock(let due):
                guard due <= end else { continue }
                try writeEvent(memory, at: event, userdata: userdata, error: .success, type: .clock, nbytes: 0, flags: 0)
            case .descriptor(let index, let read, let d):
                let revents = Int32(pollDescriptors[index].revents)
                guard revents != 0 else { continue }
                var error = WASIErrno.success
                if revents & Int32(POLLNVAL) != 0 { error = .badf }
                let hangup = revents & Int32(POLLHUP) != 0
                let nbytes = read ? readableBytes(d) : 1
                try writeEvent(memory, at: event, userdata: userdata, error: error,
                               type: read ? .fdRead : .fdWrite, nbytes: nbytes, flags: hangup ? EventRWFlags.hangup : 0)
            }
            written += 1
        }
        try memory.store32(resultPointer, written)
    }

    /// A clock subscription's deadline on the monotonic clock. Only the realtime and monotonic
    /// clocks can be waited on (`inval` otherwise, as in wasmtime).
    private func clockDeadline(clock: UInt32, timeout: UInt64, absolute: Bool, monotonicNow: UInt64) throws(WASIErrno) -> UInt64 {
        var relative = timeout
        switch ClockID(rawValue: clock) {
        case .monotonic:
            if absolute { return timeout }
        case .realtime:
            if absolute {
                let realNow = try now(CLOCK_REALTIME)
                relative = timeout > realNow ? timeout - realNow : 0
            }
        default:
            throw .inval
        }
        let (due, overflow) = monotonicNow.addingReportingOverflow(relative)
        return overflow ? UInt64.max : due
    }

    /// Blocks until a descriptor in `descriptors` is ready or the monotonic clock reaches `deadline`.
    private func wait(_ descriptors: inout [pollfd], until deadline: UInt64) throws(WASIErrno) {
        if descriptors.isEmpty {
            guard deadline != UInt64.max else { throw .inval }
            var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            while true {
                let result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
                if result == 0 { return }
                if result != EINTR { throw WASIErrno(hostErrno: result) }
            }
        }
        while true {
            var milliseconds: Int32 = -1
            if deadline != UInt64.max {
                let current = try now(CLOCK_MONOTONIC)
                let remaining = deadline > current ? deadline - current : 0
                // Round up, so that a wait never ends before the deadline.
                milliseconds = Int32(min((remaining + 999_999) / 1_000_000, UInt64(Int32.max)))
            }
            let ready = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
            if ready > 0 { return }
            if ready < 0 {
                if errno == EINTR { continue }
                throw WASIErrno.last
            }
            if deadline == UInt64.max { return }
            if try now(CLOCK_MONOTONIC) >= deadline { return }
        }
    }

    /// Bytes that can be read without blocking: to the end of a regular file, else what the
    /// kernel has buffered (at least 1 for a ready stream, as wasmtime reports for stdin).
    private func readableBytes(_ d: Descriptor) -> UInt64 {
        if d.kind == .file, let st = try? FileStat.fstat(d.hostFD), st.st_mode & S_IFMT == S_IFREG {
            let position = lseek(d.hostFD, 0, SEEK_CUR)
            return position >= 0 && Int64(st.st_size) > Int64(position) ? UInt64(Int64(st.st_size) - Int64(position)) : 0
        }
        var available: Int32 = 0
        if ioctl(d.hostFD, UInt(FIONREAD), &available) == 0, available > 0 { return UInt64(available) }
        return 1
    }

    private func writeEvent(_ memory: GuestMemory, at pointer: UInt32, userdata: UInt64, error: WASIErrno,
                            type: EventType, nbytes: UInt64, flags: UInt16) throws(WASIErrno) {
        try memory.store64(pointer, userdata)
        try memory.store16(pointer &+ 8, error.rawValue)
        try memory.store8(pointer &+ 10, type.rawValue)
        for offset in [UInt32(11), 12, 13, 14, 15] { try memory.store8(pointer &+ offset, 0) }
        try memory.store64(pointer &+ 16, nbytes)
        try memory.store64(pointer &+ 24, UInt64(flags))
    }
}
