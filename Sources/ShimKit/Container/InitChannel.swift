import Glibc

/// What the daemon tells the container's init process: everything it needs to build the
/// container, so the init reads no file of the daemon's (the spec was parsed once, in Create).
struct InitConfiguration: Codable, Sendable {
    var id: String
    var bundle: String
    /// The root file system, an absolute host path (already mounted by the daemon).
    var rootfs: String
    var spec: OCISpec
    var cgroup: CgroupPlacement?
    var memoryLimitBytes: UInt64?
    /// The daemon's files for the payload: name → descriptor in the init (fd 4 on).
    var files: [String: Int32] = [:]
}

/// The messages between the daemon and a container's init, over one Unix stream socket pair
/// (the init's end is its fd 3). A message is one kind byte, a 4-byte little-endian length
/// and that many bytes.
///
/// The daemon sends `configuration`, and `start` once Start is called; closing its end
/// before `start` tells the container to exit without running the payload.
/// The init answers `pid` (the container process's pid in the daemon's pid namespace),
/// any number of `warning`s, then `ready` or `failed`. The socket closing before `ready`
/// means the init died; the reaper then has its status.
enum InitMessage: Equatable, Sendable {
    case configuration([UInt8])
    case start
    case pid(Int32)
    case warning(String)
    case ready
    case failed(String)

    /// The largest message accepted (a spec with a long seccomp profile is tens of KiB).
    static let maximumLength = 16 << 20

    var kind: UInt8 {
        switch self {
        case .configuration: return UInt8(ascii: "C")
        case .start: return UInt8(ascii: "S")
        case .pid: return UInt8(ascii: "P")
        case .warning: return UInt8(ascii: "W")
        case .ready: return UInt8(ascii: "R")
        case .failed: return UInt8(ascii: "E")
        }
    }

    var payload: [UInt8] {
        switch self {
        case .configuration(let bytes): return bytes
        case .start, .ready: return []
        case .pid(let pid): return Array(String(pid).utf8)
        case .warning(let text), .failed(let text): return Array(text.utf8)
        }
    }

    var encoded: [UInt8] {
        let body = payload
        let length = UInt32(truncatingIfNeeded: body.count)
        return [kind, UInt8(length & 0xff), UInt8((length >> 8) & 0xff), UInt8((length >> 16) & 0xff), UInt8(length >> 24)] + body
    }

    /// A malformed message: only our own binary speaks this protocol, so this means a bug
    /// or a different binary at the other end.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(kind: UInt8, payload: [UInt8]) throws(Malformed) -> InitMessage {
        let text = String(decoding: payload, as: UTF8.self)
        switch kind {
        case UInt8(ascii: "C"): return .configuration(payload)
        case UInt8(ascii: "S"): return .start
        case UInt8(ascii: "P"):
            guard let pid = Int32(text), pid > 0 else { throw Malformed(description: "init channel: bad pid \"\(text)\"") }
            return .pid(pid)
        case UInt8(ascii: "W"): return .warning(text)
        case UInt8(ascii: "R"): return .ready
        case UInt8(ascii: "E"): return .failed(text)
        default: throw Malformed(description: "init channel: unknown message kind \(kind)")
        }
    }
}

/// Reading and writing `InitMessage`s on a descriptor.
enum InitChannel {
    /// The container process's end of the channel.
    static let initDescriptor: Int32 = 3

    /// Sends with MSG_NOSIGNAL (the daemon must not die of SIGPIPE when a container is gone).
    static func send(_ message: InitMessage, on fd: Int32) throws(SystemCallError) {
        try FileDescriptorIO.sendAll(fd, message.encoded, operation: "send on the init channel")
    }

    /// Sends with write(2): the container process uses only calls its seccomp filter allows.
    static func write(_ message: InitMessage, on fd: Int32) throws(SystemCallError) {
        try FileDescriptorIO.writeAll(fd, message.encoded, operation: "write on the init channel")
    }

    /// The next message, or nil when the other end closed the channel.
    static func receive(on fd: Int32) throws -> InitMessage? {
        guard let header = try FileDescriptorIO.readExactly(fd, count: 5, operation: "read the init channel") else {
            return nil
        }
        let length = Int(header[1]) | Int(header[2]) << 8 | Int(header[3]) << 16 | Int(header[4]) << 24
        guard length <= InitMessage.maximumLength else {
            throw InitMessage.Malformed(description: "init channel: message of \(length) bytes")
        }
        let payload = length == 0 ? [] : try FileDescriptorIO.readExactly(fd, count: length, operation: "read the init channel")
        guard let payload else { throw SystemCallError("read the init channel", errno: EPIPE) }
        return try InitMessage.decode(kind: header[0], payload: payload)
    }
}
