import Glibc

/// Reads ttrpc frames from a connected stream socket. Owned by one reader thread.
final class FrameReader {
    enum Event: Equatable {
        case frame(TTRPCFrame)
        /// A frame over 4 MiB whose data has been read and dropped.
        case oversized(TTRPCFrameHeader)
        /// The peer closed the connection between frames.
        case closed
        /// The connection ended inside a frame, or reading failed.
        case broken(String)
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    /// Index of the first unparsed byte in `buffer`.
    private var start = 0
    /// Reused for every read, so reading allocates only when `buffer` grows.
    private var chunk = [UInt8](repeating: 0, count: FrameReader.chunkSize)
    private static let chunkSize = 64 * 1024

    init(fd: Int32) {
        self.fd = fd
    }

    func next() -> Event {
        while true {
            switch TTRPCFrame.parse(buffer[start...]) {
            case .frame(let frame, let consumed):
                start += consumed
                compact()
                return .frame(frame)
            case .oversized(let header):
                return discard(header)
            case .incomplete:
                switch fill() {
                case .some(let failure): return failure
                case .none: continue
                }
            }
        }
    }

    /// Skips the data of an oversized frame, reading and dropping what is not buffered yet.
    private func discard(_ header: TTRPCFrameHeader) -> Event {
        let buffered = buffer.count - start - TTRPCFrameHeader.size
        let length = Int(header.length)
        if buffered >= length {
            start += TTRPCFrameHeader.size + length
            compact()
            return .oversized(header)
        }
        var remaining = length - buffered
        buffer.removeAll(keepingCapacity: true)
        start = 0
        while remaining > 0 {
            let wanted = min(remaining, chunk.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if count > 0 {
                remaining -= count
            } else if count == 0 {
                return .broken("connection closed inside an oversized frame (\(remaining) bytes missing)")
            } else if errno != EINTR {
                return .broken("read failed: \(SystemCallError.describe(errno: errno))")
            }
        }
        return .oversized(header)
    }

    /// Reads more bytes into the buffer; returns the end event when there are none.
    private func fill() -> Event? {
        compact()
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return nil
            }
            if count == 0 {
                let pending = buffer.count - start
                return pending == 0 ? .closed : .broken("connection closed inside a frame (\(pending) bytes of it read)")
            }
            let error = errno
            if error == EINTR { continue }
            if error == ECONNRESET, buffer.count == start { return .closed }
            return .broken("read failed: \(SystemCallError.describe(errno: error))")
        }
    }

    /// Drops consumed bytes once they dominate the buffer, keeping appends cheap.
    private func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
        } else if start >= Self.chunkSize, start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
