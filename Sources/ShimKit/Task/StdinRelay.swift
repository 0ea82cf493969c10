import Glibc

/// Copies the stdin fifo into a pipe whose read end is the container's stdin.
///
/// The shim holds the fifo open read-write, so that opening never blocks and the guest never
/// sees a spurious end-of-file before the client connects; end-of-file comes from CloseIO
/// instead (ctr sends it when its own stdin ends): then what is still buffered is copied and
/// the pipe is closed.
final class StdinRelay: @unchecked Sendable {
    /// The container's stdin (the pipe's read end); the caller hands it over and closes it.
    let readEnd: Int32
    private let fifo: Int32
    private let writeEnd: Int32
    /// Written to on CloseIO or shutdown, to wake the copying thread.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(fifoPath: String) throws(InstanceError) {
        fifo = open(fifoPath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
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
        _ = Threads.spawn(name: "stdin") { [self] in copy() }
    }

    /// Ends the guest's stdin once the data already written has been passed on.
    func close() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func copy() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var fds = [pollfd(fd: fifo, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        loop: while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 {
                // Closing: pass on what is buffered, without waiting for more.
                while pump(&buffer) {}
                break loop
            }
            if fds[0].revents != 0, !pump(&buffer), errno != EAGAIN { break }
        }
        Glibc.close(writeEnd)
        Glibc.close(fifo)
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Moves one chunk from the fifo to the pipe; false when nothing was read.
    private func pump(_ buffer: inout [UInt8]) -> Bool {
        let n = buffer.withUnsafeMutableBytes { read(fifo, $0.baseAddress, $0.count) }
        guard n > 0 else { return false }
        var offset = 0
        while offset < n {
            let written = buffer.withUnsafeBytes { raw in write(writeEnd, raw.baseAddress.map { $0 + offset }, n - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return false  // the guest closed its stdin: drop the rest
            }
            offset += written
        }
        return true
    }
}
