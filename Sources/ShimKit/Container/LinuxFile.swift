import Glibc

/// A failed system call: what was attempted, on which path, and the errno.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var errno: Int32

    public init(_ operation: String, path: String? = nil, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var reason: String { Self.describe(errno: errno) }

    /// An errno's text and number, e.g. "No such file or directory (errno 2)".
    static func describe(errno: Int32) -> String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return "\(String(cString: text)) (errno \(errno))"
    }

    public var description: String {
        if let path { return "\(operation) \(path): \(reason)" }
        return "\(operation): \(reason)"
    }
}

/// Small whole-file reads and writes over raw descriptors (cgroup files, config.json,
/// /proc), retrying EINTR and short transfers.
package enum LinuxFile {
    static func readAll(_ path: String) throws(SystemCallError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("open", path: path) }
        defer { close(fd) }
        return try readAll(fd: fd, path: path)
    }

    /// Reads `fd` to its end; `path` names it in errors.
    package static func readAll(fd: Int32, path: String) throws(SystemCallError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("read", path: path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    static func readString(_ path: String) throws(SystemCallError) -> String {
        String(decoding: try readAll(path), as: UTF8.self)
    }

    /// The file's content without its trailing newline (the form of cgroup and /proc values).
    static func readValue(_ path: String) throws(SystemCallError) -> String {
        var text = try readString(path)
        while text.last == "\n" { text.removeLast() }
        return text
    }

    /// Writes `text` in one write(2), as cgroup files require, to an existing file.
    static func write(_ text: String, to path: String) throws(SystemCallError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("open", path: path) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0x0a] }
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw SystemCallError("write \"\(text)\" to", path: path) }
            return
        }
    }

    /// Creates (or truncates) a regular file holding `bytes`.
    static func create(_ path: String, bytes: [UInt8], mode: mode_t = 0o644) throws(SystemCallError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SystemCallError("create", path: path) }
        defer { close(fd) }
        try FileDescriptorIO.writeAll(fd, bytes, operation: "write")
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// mkdir -p: creates `path` and its missing parents; existing directories are fine.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0, errno != EEXIST {
                throw SystemCallError("mkdir", path: prefix)
            }
        }
    }

    /// The directory part of a path ("/" for top-level entries).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}

/// Reads and writes on descriptors (pipes, sockets, eventfds) with EINTR and short counts handled.
enum FileDescriptorIO {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], operation: String) throws(SystemCallError) {
        try transferAll(bytes, operation: operation) { Glibc.write(fd, $0, $1) }
    }

    /// Sends all of `bytes` with MSG_NOSIGNAL: a peer that is gone fails with EPIPE instead of
    /// raising SIGPIPE, which would end the daemon.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8], operation: String) throws(SystemCallError) {
        try transferAll(bytes, operation: operation) { Glibc.send(fd, $0, $1, Int32(MSG_NOSIGNAL)) }
    }

    /// Calls `transfer` (write or send) until every byte is out.
    private static func transferAll(_ bytes: [UInt8], operation: String,
                                    _ transfer: (UnsafeRawPointer?, Int) -> Int) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                transfer(buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if count > 0 {
                offset += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                throw SystemCallError(operation)
            }
        }
    }

    /// Reads exactly `count` bytes; nil when the peer closed before the first byte.
    static func readExactly(_ fd: Int32, count: Int, operation: String) throws(SystemCallError) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + offset }, count - offset)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(operation)
            }
            if got == 0 {
                if offset == 0 { return nil }
                throw SystemCallError(operation, errno: EPIPE)
            }
            offset += got
        }
        return bytes
    }
}
