import Glibc

/// The bundle's own rootfs directory when nothing is mounted on it: a task created without
/// rootfs mounts, as a wasm-layer image's container may be. The container init makes its mount
/// points there (dev, proc, sys, ...) and the guest may write there. containerd removes the
/// bundle only once that directory is empty again, and until then the container id cannot be
/// used again ("file exists"). So what appears in it is removed when Create fails and when the
/// task is deleted; what was there before is left alone.
struct UnmountedRootfs: Sendable {
    let path: String
    private let existing: Set<String>

    /// Records what the directory holds now.
    init(path: String) throws(SystemCallError) {
        self.path = path
        let fd = try Self.openDirectory(path)
        defer { close(fd) }
        existing = Set(try Self.entries(of: fd, path: path))
    }

    /// Removes everything that appeared since `init`, recursively, without following symbolic
    /// links or crossing into other file systems.
    func removeAdditions() throws(SystemCallError) {
        let fd = try Self.openDirectory(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat", path: path) }
        try Self.removeEntries(of: fd, path: path, device: info.st_dev, keeping: existing)
    }

    private static func openDirectory(_ path: String) throws(SystemCallError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("open", path: path) }
        return fd
    }

    private static func entries(of directory: Int32, path: String) throws(SystemCallError) -> [String] {
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw SystemCallError("opendir", path: path)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    private static func removeEntries(of directory: Int32, path: String, device: dev_t,
                                      keeping: Set<String>) throws(SystemCallError) {
        for name in try entries(of: directory, path: path) where !keeping.contains(name) {
            let entryPath = path + "/" + name
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }
                throw SystemCallError("stat", path: entryPath)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                // A mount point here would be someone else's: never descend into it.
                guard info.st_dev == device else { throw SystemCallError("remove", path: entryPath, errno: EBUSY) }
                let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { throw SystemCallError("open", path: entryPath) }
                defer { close(child) }
                try removeEntries(of: child, path: entryPath, device: device, keeping: [])
                guard unlinkat(directory, name, AT_REMOVEDIR) == 0 else { throw SystemCallError("rmdir", path: entryPath) }
            } else {
                guard unlinkat(directory, name, 0) == 0 || errno == ENOENT else {
                    throw SystemCallError("unlink", path: entryPath)
                }
            }
        }
    }
}
