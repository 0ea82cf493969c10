import Glibc

/// One entry of `CreateTaskRequest.rootfs` (containerd's `types.Mount`): for example
/// `overlay` with `lowerdir=…,upperdir=…,workdir=…`, or `bind` with `rbind,rw` (native snapshotter).
public struct RootfsMount: Sendable, Equatable {
    public var type: String
    public var source: String
    public var options: [String]

    public init(type: String, source: String, options: [String]) {
        self.type = type
        self.source = source
        self.options = options
    }
}

/// Mounts the snapshot containerd prepared onto `<bundle>/rootfs`, and takes it down on delete.
/// Runs in the daemon, in the host's mount namespace: the container process later binds this
/// directory into its own namespace and pivots into it.
public enum RootfsMounts {
    /// Mounts every entry in order onto `target` (created when missing). When one fails, the
    /// ones already mounted are undone and the error names the failing entry.
    public static func mount(_ mounts: [RootfsMount], onto target: String) throws(SystemCallError) {
        if !mounts.isEmpty { try LinuxFile.makeDirectories(target) }
        for (index, entry) in mounts.enumerated() {
            do {
                try Mounter.mount(
                    source: entry.source, target: target, type: entry.type,
                    options: MountOptions(parsing: entry.options))
            } catch {
                if index > 0 { try? unmount(target) }
                var named = error
                named.operation = "rootfs[\(index)] \(entry.type) mount of \(entry.source) on"
                throw named
            }
        }
    }

    /// Detaches every mount stacked on `target` (MNT_DETACH takes their submounts along).
    /// A target that is not (or no longer) a mount point is fine.
    public static func unmount(_ target: String) throws(SystemCallError) {
        for _ in 0..<64 {
            if umount2(target, Int32(MNT_DETACH)) != 0 {
                if errno == EINVAL || errno == ENOENT { return }
                if errno == EINTR { continue }
                throw SystemCallError("umount", path: target)
            }
        }
        throw SystemCallError("umount (64 mounts stacked)", path: target, errno: EBUSY)
    }
}

/// mount(2) the way containerd's `mount.Mount` calls it: the mount with its flags, a separate
/// propagation change, and for bind mounts a remount that applies `ro`, `nosuid`, ... (the
/// kernel ignores those flags when the bind is created).
enum Mounter {
    /// The data string must fit in one page, as the kernel copies at most that much.
    static let maximumDataLength = 4095

    static func mount(source: String, target: String, type: String, options: MountOptions) throws(SystemCallError) {
        let data = options.dataString
        guard data.utf8.count <= maximumDataLength else {
            throw SystemCallError("mount (options longer than \(maximumDataLength) bytes)", path: target, errno: E2BIG)
        }
        let flags = options.flags & ~MountFlag.propagationTypes
        if flags & MountFlag.remount == 0 || !data.isEmpty {
            let result = data.isEmpty
                ? Glibc.mount(source, target, type, flags, nil)
                : data.withCString { Glibc.mount(source, target, type, flags, $0) }
            guard result == 0 else { throw SystemCallError("mount", path: target) }
        }
        if options.propagation != 0 {
            guard Glibc.mount("", target, nil, options.propagation, nil) == 0 else {
                throw SystemCallError("mount (propagation)", path: target)
            }
        }
        if options.isBind, flags & MountOptions.bindRemountFlags != 0 {
            let remountFlags = (flags & (MountOptions.bindRemountFlags | MountFlag.recursive)) | MountFlag.bind | MountFlag.remount
            guard Glibc.mount("", target, nil, remountFlags, nil) == 0 else {
                throw SystemCallError("mount (bind remount)", path: target)
            }
        }
    }
}
