import Glibc

/// Copies the stdin fifo into a pipe whose read end is the container's stdin.
///
/// The guest's stdin ends when the client's end of the fifo closes (ctr closes it when its
/// own stdin ends), or on CloseIO; then what is buffered is passed on and the pipe closed.
/// Clients open their end before Create, so a fifo with no writer when the relay starts is
/// one whose writer has already finished (`ctr run < /dev/null`): its stdin is empty.
final class StdinRelay: @unchecked Sendable {
    /// The container's stdin (the pipe's read end); the caller hands it over and closes it.
    let readEnd: Int32
    private let fifo: Int32
    private let writeEnd: Int32
    /// Written to on CloseIO or delete, to wake the copying thread. Both ends live as long as
    /// the relay, so a late `close()` never writes to a descriptor number reused elsewhere.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = Monitor(false)

    init(fifoPath: String) throws(InstanceError) {
        fifo = open(fifoPath, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fifo >= 0 else {
            throw InstanceError(.invalidArgument, "opening stdin \(fifoPath): \(String(cString: strerror(errno)))")
        }
        var ends: [Int32] = [0, 0], wake: [Int32] = [0, 0]
        guard pipe(&ends) == 0, pipe(&wake) == 0 else {
            Glibc.close(fifo)
            throw InstanceError(.internal, "creating the stdin pipe: \(String(cString: strerror(errno)))")
        }
        for fd in ends + wake { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        readEnd = ends[0]
        writeEnd = ends[1]
        wakeRead = wake[0]
        wakeWrite = wake[1]
        // The thread holds the relay until it is done copying.
        _ = Threads.spawn(name: "stdin") { [self] in copy() }
    }

    deinit {
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Ends the guest's stdin once the data already written has been passed on.
    func close() {
        finished.withLock { done in
            guard !done else { return }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private enum Pump { case copied, empty, ended }

    private func copy() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        // A first read tells whether a writer is there (EAGAIN) or gone (end of file).
        var first = pump(&buffer)
        while first == .copied { first = pump(&buffer) }
        var fds = [pollfd(fd: fifo, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        loop: while first != .ended {
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0].revents != 0 {
                // Data, or the client hung up (then the read drains what is left, then ends).
                while true {
                    switch pump(&buffer) {
                    case .copied: continue
                    case .empty: continue loop
                    case .ended: break loop
                    }
                }
            }
            if fds[1].revents != 0 {
                // CloseIO: pass on what is buffered without waiting for more.
                while pump(&buffer) == .copied {}
                break
            }
        }
        finished.withLock { $0 = true }
        Glibc.close(writeEnd)
        Glibc.close(fifo)
    }

    /// Moves one chunk from the fifo to the pipe.
    private func pump(_ buffer: inout [UInt8]) -> Pump {
        let n = buffer.withUnsafeMutableBytes { read(fifo, $0.baseAddress, $0.count) }
        if n < 0 { return errno == EAGAIN || errno == EINTR ? .empty : .ended }
        if n == 0 { return .ended }
        var offset = 0
        while offset < n {
            let written = buffer.withUnsafeBytes { raw in write(writeEnd, raw.baseAddress.map { $0 + offset }, n - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return .ended  // the guest closed its stdin: drop the rest
            }
            offset += written
        }
        return .copied
    }
}
