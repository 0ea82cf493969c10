import Glibc

/// A failed socket operation, with the errno and the path involved.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var errno: Int32

    public init(operation: String, path: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String {
        let target = path.map { " \($0)" } ?? ""
        return "\(operation)\(target): \(SystemCallError.describe(errno: errno))"
    }
}

/// Unix stream sockets, every descriptor opened close-on-exec (the shim spawns processes).
public enum UnixSocket {
    /// The longest path a sockaddr_un holds (108 bytes including the terminating NUL).
    public static let maxPathLength = 107

    /// The filesystem path of an address given either as a path or as `unix://<path>`.
    public static func path(fromAddress address: String) -> String {
        address.hasPrefix("unix://") ? String(address.dropFirst("unix://".count)) : address
    }

    /// Creates a socket bound to `path` and listening. Fails with EADDRINUSE when the path
    /// exists: whether a stale socket may be removed is the caller's decision.
    public static func listen(path: String, backlog: Int32 = 128) throws(SocketError) -> Int32 {
        var address = try socketAddress(path, operation: "bind")
        let fd = try newSocket(operation: "bind", path: path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if bound != 0 {
            let error = errno
            close(fd)
            throw SocketError(operation: "bind", path: path, errno: error)
        }
        if Glibc.listen(fd, backlog) != 0 {
            let error = errno
            close(fd)
            throw SocketError(operation: "listen", path: path, errno: error)
        }
        return fd
    }

    /// Connects to the socket at `path` (a plain path or `unix://<path>`).
    public static func connect(path address: String) throws(SocketError) -> Int32 {
        let path = path(fromAddress: address)
        var socketAddress = try socketAddress(path, operation: "connect")
        let fd = try newSocket(operation: "connect", path: path)
        while true {
            let result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 { return fd }
            let error = errno
            if error == EINTR { continue }
            close(fd)
            throw SocketError(operation: "connect", path: path, errno: error)
        }
    }

    /// Accepts one connection, close-on-exec. Retries on EINTR.
    public static func accept(_ listener: Int32) throws(SocketError) -> Int32 {
        while true {
            let fd = GNUFunctions.acceptCloseOnExec(listener)
            if fd >= 0 { return fd }
            let error = errno
            if error == EINTR { continue }
            throw SocketError(operation: "accept", errno: error)
        }
    }

    /// Writes all of `bytes`, never raising SIGPIPE. False when the peer is gone.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        (try? FileDescriptorIO.sendAll(fd, bytes, operation: "send")) != nil
    }

    private static func newSocket(operation: String, path: String) throws(SocketError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: operation, path: path, errno: errno) }
        return fd
    }

    private static func socketAddress(_ path: String, operation: String) throws(SocketError) -> sockaddr_un {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maxPathLength, !bytes.contains(0) else {
            throw SocketError(operation: operation, path: path, errno: ENAMETOOLONG)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }
}
