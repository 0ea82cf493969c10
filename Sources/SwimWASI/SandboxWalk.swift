#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Sandbox {
    /// Resolution without openat2: one component at a time, each opened `O_PATH | O_NOFOLLOW`
    /// relative to the previous one. Symlinks are expanded here (relative targets only: an
    /// absolute one escapes), and `..` pops the stack of directories walked through, so it
    /// can never go above the root. A symlink swapped in between two steps is only ever opened
    /// as itself, never followed by the kernel.
    struct Walk {
        /// The directories walked through; the first is the root, which the walk doesn't own.
        private var stack: [Int32]
        /// Components still to resolve, the next one last.
        private var pending: [Substring]
        private var symlinks = 0

        init(root: Int32, path: String) {
            stack = [root]
            pending = path.split(separator: "/", omittingEmptySubsequences: true).reversed()
        }

        /// Resolves every pending component as a directory.
        mutating func run() throws(WASIErrno) {
            while let component = pending.popLast() { try step(component) }
        }

        private mutating func step(_ component: Substring) throws(WASIErrno) {
            switch component {
            case ".":
                return
            case "..":
                guard stack.count > 1, let top = stack.popLast() else { throw .perm }
                closeQuietly(top)
            default:
                let name = String(component)
                let top = stack[stack.count - 1]
                let fd = openat(top, name, Linux.O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if fd >= 0 {
                    stack.append(fd)
                    return
                }
                let error = WASIErrno.last
                guard let target = Sandbox.readSymlink(top, name) else { throw error }
                symlinks += 1
                if symlinks > Sandbox.maxSymlinks { throw .loop }
                if target.utf8.first == UInt8(ascii: "/") { throw .perm }
                pending.append(contentsOf: target.split(separator: "/", omittingEmptySubsequences: true).reversed())
            }
        }

        /// The directory reached, as a descriptor the caller now owns.
        mutating func takeTop() throws(WASIErrno) -> Int32 {
            if stack.count > 1, let top = stack.popLast() { return top }
            return try retrying { openat(stack[0], ".", Linux.O_PATH | O_DIRECTORY | O_CLOEXEC) }
        }

        /// Closes every directory the walk opened.
        mutating func releaseAll() {
            while stack.count > 1, let top = stack.popLast() { closeQuietly(top) }
        }
    }
}
