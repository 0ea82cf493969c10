import Glibc
import Synchronization

/// Where log lines go: a descriptor written one whole line per `write`, so lines from
/// different threads never interleave (the `log` fifo keeps writes up to 4 KiB atomic).
///
/// The shim's log is a fifo containerd reads. Writes never block the shim: the descriptor
/// is non-blocking, and a line that still does not fit after a short wait is dropped.
public final class LogSink: Sendable {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let writeLock = Mutex(())
    /// How long one line may wait for room in a full pipe.
    private static let fullPipeWaitMilliseconds: Int32 = 100

    /// Writes to `fd`; closes it on deinit when `owned`.
    public init(fd: Int32, owned: Bool = false) {
        self.fd = fd
        self.ownsDescriptor = owned
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// The standard error stream.
    public static let standardError = LogSink(fd: STDERR_FILENO)

    /// Opens the shim log fifo (`<bundle>/log`, i.e. "log" in the shim's working directory)
    /// for writing without blocking. containerd opens the read side before it starts the
    /// shim; when nobody reads it (ENXIO) or it is missing, logs go to standard error.
    /// Ignores SIGPIPE if it is not handled yet: a containerd restart closes the read side,
    /// and a write must then fail with EPIPE rather than kill the shim.
    public static func openFifo(path: String = "log") -> LogSink {
        ignoreSIGPIPEIfDefault()
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .standardError }
        return LogSink(fd: fd, owned: true)
    }

    /// Writes one line (which should end in a newline). Best-effort: errors are ignored.
    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        if bytes.isEmpty { return }
        writeLock.withLock { _ in
            var offset = 0
            var waitedForRoom = false
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { raw in
                    Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                }
                if written > 0 {
                    offset += written
                    continue
                }
                let error = written < 0 ? errno : EIO
                if error == EINTR { continue }
                guard error == EAGAIN, !waitedForRoom else { return }
                // The reader is behind: wait a little for room once, then drop the rest.
                waitedForRoom = true
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard poll(&descriptor, 1, Self.fullPipeWaitMilliseconds) > 0 else { return }
            }
        }
    }

    private static func ignoreSIGPIPEIfDefault() {
        var current = sigaction()
        guard sigaction(SIGPIPE, nil, &current) == 0 else { return }
        // A handler or SIG_IGN is already in place: leave it.
        guard current.__sigaction_handler.sa_handler == nil else { return }
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&ignore.sa_mask)
        _ = sigaction(SIGPIPE, &ignore, nil)
    }
}
