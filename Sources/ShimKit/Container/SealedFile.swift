import CSeccomp
import Glibc

/// An anonymous memory file (memfd) written once and then sealed: neither its size nor its
/// bytes can change afterwards, whoever holds a descriptor. The daemon hands a blob to a
/// container's init this way (`ContainerFile`), without putting it anywhere in a file system.
public final class SealedFile {
    private var fd: Int32
    public private(set) var size: Int = 0

    /// A new, empty, writable file; `name` shows in /proc/PID/fd.
    public init(name: String) throws(SystemCallError) {
        fd = shim_memfd_create_sealable(name)
        guard fd >= 0 else { throw SystemCallError("memfd_create") }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends `bytes` (before `seal`).
    public func append(_ bytes: [UInt8]) throws(SystemCallError) {
        try FileDescriptorIO.writeAll(fd, bytes, operation: "writing the memory file")
        size += bytes.count
    }

    /// Seals the file and hands over its descriptor (close-on-exec; the caller closes it).
    public func seal() throws(SystemCallError) -> Int32 {
        guard fd >= 0 else { throw SystemCallError("sealing the memory file", errno: EBADF) }
        guard shim_seal_all(fd) == 0 else { throw SystemCallError("sealing the memory file") }
        let sealed = fd
        fd = -1
        return sealed
    }

    /// The whole content of a sealed file (from its start, whatever the file offset).
    public static func read(_ fd: Int32) throws(SystemCallError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat of the memory file") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { pread(fd, $0 + done, size - done, off_t(done)) } ?? 0
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw SystemCallError("reading the memory file", errno: count == 0 ? EIO : errno) }
            done += count
        }
        return bytes
    }

    /// True when `fd` is sealed against writes, growing and shrinking.
    public static func isSealed(_ fd: Int32) -> Bool {
        let seals = shim_get_seals(fd)
        return seals >= 0 && seals & 0x000E == 0x000E
    }
}
