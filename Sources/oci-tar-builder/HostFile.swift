#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reading inputs and writing the tarball, with plain system calls.
enum HostFile {
    struct IOError: Error, CustomStringConvertible {
        var description: String
        init(_ operation: String, _ path: String, _ code: Int32 = errno) {
            description = "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// The file's bytes and its permission bits.
    static func read(_ path: String) throws -> (contents: [UInt8], mode: UInt32) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError("open", path) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw IOError("stat", path) }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else { throw IOError("read", path, kind == S_IFDIR ? EISDIR : EINVAL) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(clamping: status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw IOError("read", path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return (bytes, UInt32(status.st_mode) & 0o7777)
    }

    /// Writes next to `path` and renames, so a reader never sees half a tarball.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError("create", temporary) }
        var offset = 0
        var failure: IOError?
        bytes.withUnsafeBytes { raw in
            while offset < raw.count, let base = raw.baseAddress {
                let count = write(fd, base + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = IOError("write", temporary)
                    return
                }
                offset += count
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = IOError("sync", temporary) }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = IOError("rename to", path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
